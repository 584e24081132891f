package dev.jobq.testing;

import dev.jobq.QueueHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rings of completions and failed attempts ({@code P:{q}:rate}): 120 one-minute slots and 144
 * ten-minute slots, each holding its step number and that step's counts, reset when a new step
 * takes the slot. The reads are those of the Redis broker's {@code QueueFigures}, {@code
 * QueueHistories} and of enqueue's wait estimate.
 */
final class RateRing {
  private final Ring minutes = new Ring(60_000, 120);
  private final Ring tenMinutes = new Ring(600_000, 144);

  /** Counts n completions ('c') or failed attempts ('f') in the current steps' slots. */
  void count(long now, char field, long n) {
    minutes.count(now, field, n);
    tenMinutes.count(now, field, n);
  }

  long count(char field, long minute) {
    return minutes.count(field, minute);
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

  QueueHistory history(String queue, long now, Duration span) {
    Duration step = QueueHistory.stepFor(span);
    Ring ring = step.equals(QueueHistory.FINE_STEP) ? minutes : tenMinutes;
    long last = Math.floorDiv(now, ring.stepMs);
    List<QueueHistory.Point> points = new ArrayList<>();
    for (long s = last - QueueHistory.stepsFor(span) + 1; s <= last; s++) {
      points.add(new QueueHistory.Point(Instant.ofEpochMilli(s * ring.stepMs),
          ring.count('c', s), ring.count('f', s)));
    }
    return new QueueHistory(queue, step, points);
  }

  private static double elapsed(long now) {
    return (now % 60_000) / 60_000.0;
  }

  /** Slots of one step's length, each holding its step number and its counts. */
  private static final class Ring {
    final long stepMs;
    private final long[] stepOf;
    private final long[] completed;
    private final long[] failed;

    Ring(long stepMs, int slots) {
      this.stepMs = stepMs;
      this.stepOf = new long[slots];
      this.completed = new long[slots];
      this.failed = new long[slots];
      java.util.Arrays.fill(stepOf, Long.MIN_VALUE);
    }

    void count(long now, char field, long n) {
      long step = Math.floorDiv(now, stepMs);
      int slot = (int) Math.floorMod(step, stepOf.length);
      if (stepOf[slot] != step) {
        stepOf[slot] = step;
        completed[slot] = 0;
        failed[slot] = 0;
      }
      (field == 'c' ? completed : failed)[slot] += n;
    }

    long count(char field, long step) {
      int slot = (int) Math.floorMod(step, stepOf.length);
      if (stepOf[slot] != step) {
        return 0;
      }
      return (field == 'c' ? completed : failed)[slot];
    }
  }
}
