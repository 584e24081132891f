package dev.jobq;

import java.time.Duration;
import java.util.Arrays;

/**
 * Percentiles and the mean over the most recent samples of a queue (wait or run time).
 *
 * @param mean the arithmetic mean, rounded to the millisecond: with the p50 it shows a skew
 *     that the percentiles alone hide (a few very long jobs raise the mean, not the p50)
 */
public record Latency(int samples, Duration p50, Duration p95, Duration p99, Duration mean) {
  public static final Latency NONE =
      new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /**
   * The nearest-rank percentiles and the mean of these samples, in milliseconds; {@link #NONE}
   * for none.
   */
  public static Latency ofMillis(long... samples) {
    if (samples.length == 0) {
      return NONE;
    }
    long[] ms = samples.clone();
    Arrays.sort(ms);
    return new Latency(ms.length, rank(ms, 0.50), rank(ms, 0.95), rank(ms, 0.99), mean(ms));
  }

  private static Duration rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return Duration.ofMillis(sorted[Math.max(0, i)]);
  }

  /** A long sum cannot overflow here: brokers keep at most a few thousand samples. */
  private static Duration mean(long[] ms) {
    long sum = 0;
    for (long m : ms) {
      sum += m;
    }
    return Duration.ofMillis(Math.round((double) sum / ms.length));
  }
}
