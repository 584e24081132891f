package dev.jobq.redis;

import dev.jobq.JobEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.resps.StreamEntry;

/** Reads the entries lib.lua's emit() writes: job, event, at, then the event's own fields. */
final class EventEntries {
  private EventEntries() {}

  /**
   * An entry of a type this version does not know (written by a newer one) is an {@code
   * UNKNOWN} event, its label kept in the detail {@code event}: readers must still move past it.
   */
  static JobEvent toEvent(String queue, StreamEntry entry) {
    Map<String, String> f = new LinkedHashMap<>(entry.getFields());
    String job = f.remove("job");
    String event = String.valueOf(f.remove("event"));
    String at = f.remove("at");
    Instant time = Instant.ofEpochMilli(at != null && at.matches("\\d{1,18}")
        ? Long.parseLong(at) : entry.getID().getTime());
    Optional<JobEvent.Type> type = JobEvent.Type.ofLabel(event)
        .filter(t -> t != JobEvent.Type.UNKNOWN);
    if (type.isEmpty()) {
      f.put("event", event);
    }
    return new JobEvent(entry.getID().toString(), queue, job == null ? "" : job,
        type.orElse(JobEvent.Type.UNKNOWN), time, f);
  }
}
