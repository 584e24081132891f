package dev.jobq.worker;

/**
 * No handler for the job's type on this worker. It is retried like any failure (during a rolling
 * deploy another worker may already know the type); its message names what this worker knows.
 */
final class UnknownJobTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnknownJobTypeException(String message) {
    super(message);
  }
}
