package dev.jobq;

/** The broker (Redis) could not be reached or answered with a connection error. */
public class BrokerUnavailableException extends JobqException {
  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
