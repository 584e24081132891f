package dev.jobq.cli;

/** The operation could not be done, for the reason in the message: exit code 1. */
public final class CommandFailed extends RuntimeException {
  public CommandFailed(String message) {
    super(message);
  }
}
