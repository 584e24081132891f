package dev.jobq.worker;

/**
 * The reason recorded when an attempt ran past its timeout (the job's own, or the worker's
 * default): the handler was interrupted and the attempt failed through the retry policy.
 */
public class JobTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobTimeoutException(String message) {
    super(message);
  }
}
