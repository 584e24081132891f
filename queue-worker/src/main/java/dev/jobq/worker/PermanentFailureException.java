package dev.jobq.worker;

/**
 * Thrown by a handler when retrying cannot help (bad input, a refused request): the job goes
 * straight to the failed list, whatever attempts it has left. Other exception types can be
 * marked permanent with {@link Worker.Builder#permanentFailure}.
 */
public class PermanentFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PermanentFailureException(String message) {
    super(message);
  }

  public PermanentFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
