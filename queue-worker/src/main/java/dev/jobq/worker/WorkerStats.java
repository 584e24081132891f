package dev.jobq.worker;

import java.util.concurrent.atomic.AtomicLong;

/** The counters the heartbeat publishes and the shutdown logs. */
final class WorkerStats {
  /** Attempts whose outcome was recorded: completed or failed. */
  final AtomicLong processed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong lost = new AtomicLong();

  @Override
  public String toString() {
    return "processed " + processed + ", failed " + failed + ", released " + released
        + ", lost leases " + lost;
  }
}
