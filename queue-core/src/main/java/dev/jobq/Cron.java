package dev.jobq;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) in a time zone, as
 * crontab(5) reads it: {@code *}, lists, ranges, steps ({@code *}/15, 1-30/2), month and day
 * names, 0 or 7 for Sunday, and the macros {@code @hourly @daily @weekly @monthly @yearly}. When
 * both day fields are restricted, a day matching either runs, as in Vixie cron. A local time
 * that a daylight-saving jump skips runs shifted by the jump (02:30 becomes 03:30); one that
 * occurs twice runs once, at its first occurrence.
 */
final class Cron {
  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** No valid expression needs longer to find its next time (Feb 29 on a given weekday: 28 y). */
  private static final int MAX_YEARS = 30;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean anyDay;
  private final boolean anyWeekday;

  private Cron(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, List.of(), "minute");
    this.hours = field(f[1], 0, 23, List.of(), "hour");
    this.days = field(f[2], 1, 31, List.of(), "day of month");
    this.months = field(f[3], 1, 12, MONTHS, "month");
    BitSet w = field(f[4], 0, 7, DAYS, "day of week");
    if (w.get(7)) {
      w.set(0);
    }
    this.weekdays = w;
    this.anyDay = f[2].startsWith("*");
    this.anyWeekday = f[4].startsWith("*");
  }

  static Cron parse(String expression) {
    String text = expression == null ? "" : expression.trim();
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    String[] f = expanded.split("\\s+");
    if (f.length != 5) {
      throw new InvalidJobException("cron expression '" + text + "' must have five fields"
          + " (minute hour day-of-month month day-of-week), such as '0 3 * * *', or be one of "
          + MACROS.keySet().stream().sorted().toList());
    }
    return new Cron(text, f);
  }

  private BitSet field(String spec, int min, int max, List<String> names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      try {
        addPart(bits, part.toUpperCase(Locale.ROOT), min, max, names);
      } catch (RuntimeException e) {
        throw new InvalidJobException("cron expression '" + text + "': the " + what + " field '"
            + spec + "' is not valid (" + min + "-" + max
            + (names.isEmpty() ? "" : " or names such as " + names.get(1)) + ", with * , - /)");
      }
    }
    return bits;
  }

  private static void addPart(BitSet bits, String part, int min, int max, List<String> names) {
    int step = 1;
    int slash = part.indexOf('/');
    if (slash >= 0) {
      step = Integer.parseInt(part.substring(slash + 1));
      part = part.substring(0, slash);
    }
    int from;
    int to;
    if (part.equals("*")) {
      from = min;
      to = max;
    } else if (part.contains("-")) {
      String[] r = part.split("-", 2);
      from = value(r[0], names, min);
      to = value(r[1], names, min);
    } else {
      from = value(part, names, min);
      to = slash >= 0 ? max : from;
    }
    if (step < 1 || from < min || to > max || from > to) {
      throw new IllegalArgumentException(part);
    }
    for (int v = from; v <= to; v += step) {
      bits.set(v);
    }
  }

  private static int value(String s, List<String> names, int min) {
    int i = names.indexOf(s);
    return i >= 0 ? i + min : Integer.parseInt(s);
  }

  /** The first time after {@code after} that the expression names, in {@code zone}. */
  Instant next(Instant after, ZoneId zone) {
    LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES)
        .plusMinutes(1);
    LocalDateTime limit = t.plusYears(MAX_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).toLocalDate().atStartOfDay().plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.toLocalDate().atStartOfDay().plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        Instant at = t.atZone(zone).toInstant();
        if (at.isAfter(after)) {
          return at;
        }
        t = t.plusMinutes(1); // the second pass through a repeated (fall-back) hour
      }
    }
    throw new InvalidJobException("cron expression '" + text + "' names no time in the next "
        + MAX_YEARS + " years (such as February 30)");
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDay || anyWeekday) {
      return day && weekday;
    }
    return day || weekday;
  }

  @Override
  public String toString() {
    return text;
  }
}
