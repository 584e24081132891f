package dev.jobq;

import java.util.Locale;

/** How urgent a job is. A worker always takes the oldest job of the highest non-empty priority. */
public enum Priority {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW;

  /** The number stored in Redis: 0 for CRITICAL up to 3 for LOW. */
  public int level() {
    return ordinal();
  }

  public static Priority ofLevel(int level) {
    if (level < 0 || level >= values().length) {
      throw new InvalidJobException("priority level out of range 0..3: " + level);
    }
    return values()[level];
  }

  /** Parses a name such as {@code high} (any case) or a level such as {@code 1}. */
  public static Priority parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidJobException("priority is empty: use one of critical, high, normal, low");
    }
    String t = text.trim();
    if (t.length() == 1 && Character.isDigit(t.charAt(0))) {
      return ofLevel(t.charAt(0) - '0');
    }
    try {
      return valueOf(t.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(
          "unknown priority '" + text + "': use one of critical, high, normal, low");
    }
  }
}
