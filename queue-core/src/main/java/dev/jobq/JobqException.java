package dev.jobq;

/** The root of every exception jobq throws on purpose. */
public class JobqException extends RuntimeException {
  public JobqException(String message) {
    super(message);
  }

  public JobqException(String message, Throwable cause) {
    super(message, cause);
  }
}
