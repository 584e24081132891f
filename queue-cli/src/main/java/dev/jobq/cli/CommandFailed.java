package dev.jobq.cli;

/** The operation could not be done, for the reason in the message: exit code 1. */
final class CommandFailed extends RuntimeException {
  CommandFailed(String message) {
    super(message);
  }
}
