package dev.jobq.spi;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Why an attempt failed, as stored on the job: class, message and a trimmed stack trace. */
public record Failure(String errorClass, String message, String stack) {
  /** Stack traces are cut to this many characters; the top frames are the useful ones. */
  public static final int MAX_STACK_CHARS = 4_000;
  public static final int MAX_MESSAGE_CHARS = 2_000;

  public static Failure of(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return new Failure(
        error.getClass().getName(),
        cut(String.valueOf(error.getMessage()), MAX_MESSAGE_CHARS),
        cut(out.toString(), MAX_STACK_CHARS));
  }

  /** A failure that has no Java exception behind it, such as an expired lease. */
  public static Failure of(String errorClass, String message) {
    return new Failure(errorClass, cut(message, MAX_MESSAGE_CHARS), "");
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "\n\t… (trimmed)";
  }
}
