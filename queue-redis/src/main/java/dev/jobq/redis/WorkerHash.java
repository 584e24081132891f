package dev.jobq.redis;

import dev.jobq.WorkerInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A worker's heartbeat hash, {@code P:worker:<id>}. */
final class WorkerHash {
  private WorkerHash() {}

  static Map<String, String> toMap(WorkerInfo w) {
    return Map.of(
        "host", w.host(),
        "pid", Long.toString(w.pid()),
        "queues", String.join(",", w.queues()),
        "concurrency", Integer.toString(w.concurrency()),
        "busy", Integer.toString(w.busy()),
        "processed", Long.toString(w.processed()),
        "failed", Long.toString(w.failed()),
        "started_at", Long.toString(w.startedAt().toEpochMilli()),
        "heartbeat_at", Long.toString(w.lastHeartbeat().toEpochMilli()));
  }

  static WorkerInfo fromMap(String id, Map<String, String> h) {
    List<String> queues = h.getOrDefault("queues", "").isEmpty()
        ? List.of() : Arrays.asList(h.get("queues").split(","));
    return new WorkerInfo(id, h.getOrDefault("host", "?"), number(h, "pid"), queues,
        (int) number(h, "concurrency"), (int) number(h, "busy"), number(h, "processed"),
        number(h, "failed"), Instant.ofEpochMilli(number(h, "started_at")),
        Instant.ofEpochMilli(number(h, "heartbeat_at")));
  }

  private static long number(Map<String, String> h, String field) {
    try {
      return Long.parseLong(h.getOrDefault(field, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
