package dev.jobq.spi;

import java.time.Instant;

/**
 * A failed job as grouping by error sees it: its id, error class, the first line of its error
 * message (each {@code ""} when it has none) and when it failed, without its payload, result or
 * stack trace (see {@link ClientBroker#newestFailed}).
 */
public record FailedJob(String id, String errorClass, String error, Instant finishedAt) {

  /**
   * The first line of an error message, as {@link #error} holds it: up to the first {@code
   * '\n'}, kept as it is; {@code ""} for none.
   */
  public static String firstLine(String error) {
    if (error == null) {
      return "";
    }
    int end = error.indexOf('\n');
    return end < 0 ? error : error.substring(0, end);
  }
}
