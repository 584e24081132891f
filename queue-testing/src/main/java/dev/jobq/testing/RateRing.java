package dev.jobq.testing;

/**
 * The per-minute ring of completions and failed attempts ({@code P:{q}:rate}): 120 slots, each
 * holding its minute number and that minute's counts, reset when a new minute takes the slot.
 * The reads are those of the Redis broker's {@code QueueFigures} and of enqueue's wait estimate.
 */
final class RateRing {
  private static final int SLOTS = 120;

  private final long[] minuteOf = new long[SLOTS];
  private final long[] completed = new long[SLOTS];
  private final long[] failed = new long[SLOTS];

  RateRing() {
    java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
  }

  /** Counts n completions ('c') or failed attempts ('f') in the current minute's slot. */
  void count(long now, char field, long n) {
    long minute = Math.floorDiv(now, 60_000);
    int slot = (int) Math.floorMod(minute, SLOTS);
    if (minuteOf[slot] != minute) {
      minuteOf[slot] = minute;
      completed[slot] = 0;
      failed[slot] = 0;
    }
    (field == 'c' ? completed : failed)[slot] += n;
  }

  long count(char field, long minute) {
    int slot = (int) Math.floorMod(minute, SLOTS);
    if (minuteOf[slot] != minute) {
      return 0;
    }
    return (field == 'c' ? completed : failed)[slot];
  }

  /** The current minute so far and the {@code minutes} whole minutes before it. */
  double sum(long now, char field, int minutes) {
    long minute = Math.floorDiv(now, 60_000);
    long total = 0;
    for (long m = minute - minutes; m <= minute; m++) {
      total += count(field, m);
    }
    return total;
  }

  /** Per minute over the last {@code minutes} whole minutes plus the current partial one. */
  double perMinute(long now, char field, int minutes) {
    return sum(now, field, minutes) / (minutes + elapsed(now));
  }

  /** The last 60 seconds: this minute so far and the unelapsed share of the previous one. */
  double lastMinute(long now, char field) {
    long minute = Math.floorDiv(now, 60_000);
    return count(field, minute) + count(field, minute - 1) * (1 - elapsed(now));
  }

  private static double elapsed(long now) {
    return (now % 60_000) / 60_000.0;
  }
}
