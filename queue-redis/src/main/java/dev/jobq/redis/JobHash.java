package dev.jobq.redis;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Json;
import dev.jobq.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a job hash (field names as the scripts write them) into a {@link Job}. */
final class JobHash {
  private JobHash() {}

  /** From a script's HGETALL answer: a flat field, value, field, value list. */
  static Job fromList(String queue, List<?> flat) {
    return fromMap(queue, toMap(flat));
  }

  static Map<String, String> toMap(List<?> flat) {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      h.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return h;
  }

  /**
   * Throws {@link IllegalStateException} naming the job when a field holds nonsense (a hash
   * edited by hand): a reader can report that job and go on.
   */
  static Job fromMap(String queue, Map<String, String> h) {
    String id = h.get("id");
    try {
      return new Job(
          id,
          queue,
          h.get("type"),
          h.getOrDefault("payload", "null"),
          Priority.ofLevel(intOf(h, "pri", 2)),
          JobStatus.parse(h.get("status")),
          intOf(h, "attempt", 0),
          intOf(h, "max_attempts", 1),
          h.containsKey("backoff") ? Backoff.parse(h.get("backoff")) : null,
          h.containsKey("timeout_ms") ? Duration.ofMillis(Long.parseLong(h.get("timeout_ms"))) : null,
          instant(h, "created_at"),
          instant(h, "enqueued_at"),
          instant(h, "run_at"),
          instant(h, "started_at"),
          instant(h, "finished_at"),
          h.get("worker"),
          Long.parseLong(h.getOrDefault("token", "0")),
          h.get("error_class"),
          h.get("error"),
          blankToNull(h.get("stack")),
          h.get("result"),
          h.get("progress"),
          h.containsKey("deps") ? List.of(h.get("deps").split(",")) : List.of(),
          h.containsKey("headers") ? Json.decodeStringMap(h.get("headers")) : Map.of(),
          h.get("escalated_to"));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "job " + id + " in queue " + queue + " has a malformed hash: " + e.getMessage(), e);
    }
  }

  private static int intOf(Map<String, String> h, String field, int missing) {
    String v = h.get(field);
    return v == null ? missing : Integer.parseInt(v);
  }

  private static Instant instant(Map<String, String> h, String field) {
    String v = h.get(field);
    return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
