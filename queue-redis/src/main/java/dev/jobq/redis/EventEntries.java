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

  /** Empty for an entry of a type this version does not know (written by a newer one). */
  static Optional<JobEvent> toEvent(String queue, StreamEntry entry) {
    Map<String, String> f = new LinkedHashMap<>(entry.getFields());
    String job = f.remove("job");
    String event = f.remove("event");
    String at = f.remove("at");
    if (job == null || event == null) {
      return Optional.empty();
    }
    Instant time = Instant.ofEpochMilli(at != null && at.matches("\\d{1,18}")
        ? Long.parseLong(at) : entry.getID().getTime());
    return JobEvent.Type.ofLabel(event)
        .map(type -> new JobEvent(entry.getID().toString(), queue, job, type, time, f));
  }
}
