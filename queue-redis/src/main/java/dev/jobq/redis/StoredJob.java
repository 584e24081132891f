package dev.jobq.redis;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a job as stored (see {@link MessagePack}; field names as the scripts write them) into a
 * {@link Job}. A stored job does not hold its own id (the jobs hash's field is the id), nor
 * fields still at their start: attempt and token 0, and enqueued_at when the job waited from
 * its enqueue (it is then created_at).
 */
final class StoredJob {
  private StoredJob() {}

  /** From a script's answer: the job's id, then the job as stored. */
  static Job fromRow(String queue, List<?> row) {
    String id = Replies.text(row.get(0));
    return fromMap(queue, id, fields(queue, id, (byte[]) row.get(1)));
  }

  /**
   * The stored job's fields, each as text. Throws {@link IllegalStateException} naming the job
   * when the value cannot be read (edited by hand).
   */
  static Map<String, String> fields(String queue, String id, byte[] packed) {
    try {
      return MessagePack.readMap(packed);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "job " + id + " in queue " + queue + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Throws {@link IllegalStateException} naming the job when a field holds nonsense (a job
   * edited by hand): a reader can report that job and go on.
   */
  static Job fromMap(String queue, String id, Map<String, String> h) {
    try {
      if (h.get("type") == null || h.get("created_at") == null) {
        throw new IllegalArgumentException("it has no type or no creation time");
      }
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
          children(h),
          h.containsKey("headers") ? Json.decodeStringMap(h.get("headers")) : Map.of(),
          h.get("escalated_to"));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "job " + id + " in queue " + queue + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Those the parent settled (children_done), then those still waiting for it, each once. */
  private static List<String> children(Map<String, String> h) {
    Set<String> ids = new LinkedHashSet<>();
    for (String field : List.of("children_done", "children")) {
      String v = h.get(field);
      if (v != null && !v.isEmpty()) {
        ids.addAll(List.of(v.split(",")));
      }
    }
    return List.copyOf(ids);
  }

  private static int intOf(Map<String, String> h, String field, int missing) {
    String v = h.get(field);
    return v == null ? missing : Integer.parseInt(v);
  }

  /**
   * A job has no enqueued_at until it is made ready a second time: one ready at its creation
   * (neither delayed nor waiting for parents: no run_at, no deps) or that has run since (it was
   * ready then) last became ready at created_at; one delayed or blocked from its creation and
   * never ready has none.
   */
  private static Instant enqueuedAt(Map<String, String> h) {
    if (h.containsKey("enqueued_at")) {
      return instant(h, "enqueued_at");
    }
    boolean readyAtCreation = !h.containsKey("run_at") && !h.containsKey("deps");
    return readyAtCreation || h.containsKey("attempt") ? instant(h, "created_at") : null;
  }

  private static Instant instant(Map<String, String> h, String field) {
    String v = h.get(field);
    return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
