package dev.jobq.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Short human forms for tables: 850ms, 1.2s, 3m05s, 2h10m, 4d03h; 1.5%; 12.3. */
final class Format {
  private Format() {}

  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long ms = d.toMillis();
    if (ms < 1_000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return trim(ms / 1000.0) + "s";
    }
    long s = ms / 1000;
    if (s < 3_600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3_600, s % 3_600 / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3_600);
  }

  /** How long ago, coarsely: 4s, 12m, 3h, 2d. */
  static String age(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(then, now).toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3_600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3_600 + "h";
    }
    return s / 86_400 + "d";
  }

  static String millis(long ms) {
    return duration(Duration.ofMillis(ms));
  }

  static String rate(double perMinute) {
    return trim(perMinute);
  }

  static String percent(double fraction) {
    return trim(fraction * 100) + "%";
  }

  /** One decimal, without a trailing .0. */
  private static String trim(double d) {
    String s = String.format(Locale.ROOT, "%.1f", d);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** The first line of a message, cut to {@code max} characters, for a table cell. */
  static String cell(String text, int max) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
