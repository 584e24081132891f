package dev.jobq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A queue's completions and failed attempts over a recent span, one {@link Point} per step,
 * oldest first; the last point is the step now under way. Brokers keep one-minute steps for the
 * last {@link #FINE_SPAN} and ten-minute steps for the last {@link #MAX_SPAN}, so a span up to
 * two hours comes in minutes and a longer one in ten minutes.
 */
public record QueueHistory(String queue, Duration step, List<Point> points) {
  /** The longest span a broker keeps one-minute steps for. */
  public static final Duration FINE_SPAN = Duration.ofHours(2);
  /** The longest span a broker keeps at all. */
  public static final Duration MAX_SPAN = Duration.ofHours(24);
  public static final Duration FINE_STEP = Duration.ofMinutes(1);
  public static final Duration COARSE_STEP = Duration.ofMinutes(10);

  /** One step: when it began, and the completions and failed attempts counted in it. */
  public record Point(Instant at, long completed, long failed) {}

  public QueueHistory {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(step, "step");
    points = List.copyOf(points);
  }

  /**
   * The step a span is told in: a minute up to {@link #FINE_SPAN}, else ten minutes.
   *
   * @throws IllegalArgumentException when the span is under a minute or over {@link #MAX_SPAN}
   */
  public static Duration stepFor(Duration span) {
    Objects.requireNonNull(span, "span");
    if (span.compareTo(FINE_STEP) < 0 || span.compareTo(MAX_SPAN) > 0) {
      throw new IllegalArgumentException("history span " + span + " is out of range: give one"
          + " from 1 minute to " + MAX_SPAN.toHours() + " hours");
    }
    return span.compareTo(FINE_SPAN) <= 0 ? FINE_STEP : COARSE_STEP;
  }

  /** How many steps tell a span: enough to cover it, the current one included. */
  public static int stepsFor(Duration span) {
    long step = stepFor(span).toMillis();
    return (int) ((span.toMillis() + step - 1) / step);
  }
}
