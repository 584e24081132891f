package dev.jobq;

import java.time.Duration;

/** Percentiles over the most recent samples of a queue (wait or run time). */
public record Latency(int samples, Duration p50, Duration p95, Duration p99) {
  public static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
