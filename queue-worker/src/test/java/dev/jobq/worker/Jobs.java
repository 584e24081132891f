package dev.jobq.worker;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import java.time.Duration;
import java.time.Instant;

/** Job records for tests that need one without a broker. */
final class Jobs {
  private Jobs() {}

  static Job active(String type, String payload, int attempt, int maxAttempts, Backoff backoff) {
    Instant now = Instant.now();
    return new Job("j1", "default", type, payload, Priority.NORMAL, JobStatus.ACTIVE, attempt,
        maxAttempts, backoff, (Duration) null, now, now, now, now, null, "w1", 7, null, null, null,
        null, null, java.util.List.of(), java.util.List.of(), java.util.Map.of(), null);
  }
}
