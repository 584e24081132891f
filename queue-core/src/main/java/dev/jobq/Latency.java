package dev.jobq;

import java.time.Duration;
import java.util.Arrays;

/** Percentiles over the most recent samples of a queue (wait or run time). */
public record Latency(int samples, Duration p50, Duration p95, Duration p99) {
  public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** The nearest-rank percentiles of these samples, in milliseconds; {@link #NONE} for none. */
  public static Latency ofMillis(long... samples) {
    if (samples.length == 0) {
      return NONE;
    }
    long[] ms = samples.clone();
    Arrays.sort(ms);
    return new Latency(ms.length, rank(ms, 0.50), rank(ms, 0.95), rank(ms, 0.99));
  }

  private static Duration rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return Duration.ofMillis(sorted[Math.max(0, i)]);
  }
}
