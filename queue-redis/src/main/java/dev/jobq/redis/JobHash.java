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

/**
 * Reads a job hash (field names as the scripts write them) into a {@link Job}. The hash does not
 * hold its own id (its key does), nor fields still at their start: attempt and token 0, and
 * enqueued_at when the job waited from its enqueue (it is then created_at).
 */
final class JobHash {
  private JobHash() {}

  /** From a script's answer: the job's id, then its hash as field, value, field, value. */
  static Job fromRow(String queue, List<?> row) {
    return fromMap(queue, String.valueOf(row.get(0)), fieldsOf(row));
  }

  static Map<String, String> fieldsOf(List<?> row) {
    Map<String, String> h = new HashMap<>();
    for (int i = 1; i + 1 < row.size(); i += 2) {
      h.put(String.valueOf(row.get(i)), String.valueOf(row.get(i + 1)));
    }
    return h;
  }

  /**
   * Throws {@link IllegalStateException} naming the job when a field holds nonsense (a hash
   * edited by hand): a reader can report that job and go on.
   */
  static Job fromMap(String queue, String id, Map<String, String> h) {
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
          enqueuedAt(h),
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

  /** A job given a place at its enqueue has a seq and no enqueued_at of its own. */
  private static Instant enqueuedAt(Map<String, String> h) {
    return h.containsKey("seq") && !h.containsKey("enqueued_at")
        ? instant(h, "created_at")
        : instant(h, "enqueued_at");
  }

  private static Instant instant(Map<String, String> h, String field) {
    String v = h.get(field);
    return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
