package dev.jobq.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts whose leases this worker holds: from claim until the outcome is delivered or
 * dropped. Longer than a handler runs, because a result waiting in the outbox during a Redis
 * outage still needs its lease renewed, or another worker would take the job over.
 *
 * <p>While an outcome is on its way to Redis its lease is not renewed (a renewal racing the
 * delivery would see the job finished and report a loss that never happened), but the attempt
 * is still this worker's: {@link #holds} says so, so that it is never mistaken for the job of a
 * claim whose answer was lost.
 */
final class Leases {
  private final Map<String, JobRun> held = new ConcurrentHashMap<>();
  private final Map<String, JobRun> renewed = new ConcurrentHashMap<>();

  void add(JobRun run) {
    held.put(run.key(), run);
    renewed.put(run.key(), run);
  }

  /** Its outcome is being delivered: renew it no more, but it is still ours. */
  void stopRenewing(JobRun run) {
    renewed.remove(run.key(), run);
  }

  /** Done with: delivered, dropped, or the lease is gone. */
  void remove(JobRun run) {
    renewed.remove(run.key(), run);
    held.remove(run.key(), run);
  }

  /** Whether this attempt's lease is being renewed. */
  boolean contains(JobRun run) {
    return renewed.get(run.key()) == run;
  }

  /** Whether some attempt of this job is this worker's, renewed or with its outcome on the way. */
  boolean holds(String queue, String id) {
    return held.containsKey(JobRun.key(queue, id));
  }

  int size() {
    return held.size();
  }

  /** The held attempts grouped by queue, for one renewal call per queue. */
  Map<String, List<JobRun>> byQueue() {
    Map<String, List<JobRun>> out = new HashMap<>();
    for (JobRun run : renewed.values()) {
      out.computeIfAbsent(run.queue(), q -> new ArrayList<>()).add(run);
    }
    return out;
  }
}
