package dev.jobq.internal;

/** How jobq shortens a job's error message where it groups or lists failures. */
public final class ErrorText {
  private ErrorText() {}

  /**
   * The first line of an error message, as {@link dev.jobq.spi.FailedJob#error} holds it: up to
   * the first {@code '\n'}, kept as it is; {@code ""} for none.
   */
  public static String firstLine(String error) {
    if (error == null) {
      return "";
    }
    int end = error.indexOf('\n');
    return end < 0 ? error : error.substring(0, end);
  }
}
