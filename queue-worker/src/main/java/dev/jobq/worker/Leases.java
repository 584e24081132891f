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
 */
final class Leases {
  private final Map<String, JobRun> held = new ConcurrentHashMap<>();

  void add(JobRun run) {
    held.put(run.key(), run);
  }

  void remove(JobRun run) {
    held.remove(run.key(), run);
  }

  boolean contains(JobRun run) {
    return held.get(run.key()) == run;
  }

  /** Whether some attempt of this job is held. */
  boolean holds(String queue, String id) {
    return held.containsKey(JobRun.key(queue, id));
  }

  int size() {
    return held.size();
  }

  /** The held attempts grouped by queue, for one renewal call per queue. */
  Map<String, List<JobRun>> byQueue() {
    Map<String, List<JobRun>> out = new HashMap<>();
    for (JobRun run : held.values()) {
      out.computeIfAbsent(run.queue(), q -> new ArrayList<>()).add(run);
    }
    return out;
  }
}
