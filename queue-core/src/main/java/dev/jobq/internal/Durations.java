package dev.jobq.internal;

import dev.jobq.InvalidJobException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes the short duration form used by the CLI and the stored backoff: 250ms, 5s, 10m, 2h, 1d. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  /** Parses {@code 250ms}, {@code 5s}, {@code 1.5m}, {@code 2h}, {@code 1d}; a bare number means seconds. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new InvalidJobException("duration is missing: use a form such as 500ms, 5s, 10m, 2h, 1d");
    }
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidJobException(
          "invalid duration '" + Names.printable(text) + "': use a form such as 500ms, 5s, 10m, 2h, 1d");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
    if (millis > Long.MAX_VALUE / 2) {
      throw new InvalidJobException("duration '" + text + "' is too long");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** The shortest exact form: 1500 ms becomes {@code 1500ms}, 60 s becomes {@code 1m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
