package dev.jobq;

/** A request was refused before anything was written: the message names the bad value. */
public class InvalidJobException extends JobqException {
  public InvalidJobException(String message) {
    super(message);
  }
}
