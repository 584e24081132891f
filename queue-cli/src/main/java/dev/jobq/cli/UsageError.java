package dev.jobq.cli;

/** A bad flag, setting or input found while running: exit code 2, nothing was changed. */
final class UsageError extends RuntimeException {
  UsageError(String message) {
    super(message);
  }
}
