package dev.jobq.internal;

import dev.jobq.InvalidJobException;
import java.util.regex.Pattern;

/**
 * The rules for queue names, job ids and job types. They become parts of Redis keys, so they are
 * held to a small alphabet: no braces (hash tags), spaces, control characters or glob characters.
 */
public final class Names {
  public static final int MAX_QUEUE_LENGTH = 100;
  public static final int MAX_ID_LENGTH = 200;
  public static final int MAX_TYPE_LENGTH = 200;

  private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]*");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+=\\-]*");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:$\\-]*");

  private Names() {}

  public static String checkQueue(String queue) {
    return check("queue name", queue, QUEUE, MAX_QUEUE_LENGTH,
        "letters, digits, '.', '_' and '-', starting with a letter or digit");
  }

  public static String checkJobId(String id) {
    return check("job id", id, ID, MAX_ID_LENGTH,
        "letters, digits and . _ : @ / + = -, starting with a letter or digit");
  }

  public static String checkType(String type) {
    return check("job type", type, TYPE, MAX_TYPE_LENGTH,
        "letters, digits and . _ : $ -, starting with a letter or digit");
  }

  private static String check(String what, String value, Pattern pattern, int max, String rule) {
    if (value == null || value.isEmpty()) {
      throw new InvalidJobException(what + " is empty: use " + rule);
    }
    if (value.length() > max) {
      throw new InvalidJobException(
          what + " is " + value.length() + " characters long, over the limit of " + max + ": '"
              + shorten(value) + "'");
    }
    if (!pattern.matcher(value).matches()) {
      throw new InvalidJobException(
          "invalid " + what + " '" + printable(value) + "': use " + rule);
    }
    return value;
  }

  private static String shorten(String value) {
    return printable(value.length() > 40 ? value.substring(0, 40) + "…" : value);
  }

  /** Shows control characters as escapes, so that an error message stays on one line. */
  public static String printable(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length() && out.length() < 120; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
