package dev.jobq.http;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobPage;
import dev.jobq.Latency;
import dev.jobq.QueueStats;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of the API, built by hand as maps: the wire format stays stable when a record
 * gains a field, and times are ISO-8601 text and durations whole milliseconds.
 */
final class Views {
  private Views() {}

  static Map<String, Object> enqueued(EnqueueResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.jobId());
    m.put("queue", r.queue());
    m.put("status", r.status().name().toLowerCase());
    m.put("position", r.position());
    m.put("estimatedWaitMs", millis(r.estimatedWait()));
    m.put("created", r.created());
    return m;
  }

  static Map<String, Object> job(Job j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("queue", j.queue());
    m.put("type", j.type());
    m.put("status", j.status().name().toLowerCase());
    m.put("priority", j.priority().name().toLowerCase());
    m.put("payload", Json.tree(j.payload()));
    m.put("attempt", j.attempt());
    m.put("maxAttempts", j.maxAttempts());
    m.put("backoff", j.backoff() == null ? null : j.backoff().spec());
    m.put("timeoutMs", millis(j.timeout()));
    m.put("createdAt", text(j.createdAt()));
    m.put("enqueuedAt", text(j.enqueuedAt()));
    m.put("runAt", text(j.runAt()));
    m.put("startedAt", text(j.startedAt()));
    m.put("finishedAt", text(j.finishedAt()));
    m.put("worker", j.worker());
    m.put("error", j.error());
    m.put("errorClass", j.errorClass());
    m.put("stack", j.stack());
    m.put("result", j.result() == null ? null : Json.tree(j.result()));
    m.put("progress", j.progress() == null ? null : Json.tree(j.progress()));
    m.put("dependsOn", j.dependsOn());
    m.put("children", j.children());
    m.put("headers", j.headers());
    m.put("escalatedTo", j.escalatedTo());
    return m;
  }

  /** A job as a claim hands it to a worker: what it needs to run it and to report on it. */
  static Map<String, Object> claimed(Job j, Instant leaseDeadline) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("queue", j.queue());
    m.put("type", j.type());
    m.put("payload", Json.tree(j.payload()));
    m.put("attempt", j.attempt());
    m.put("maxAttempts", j.maxAttempts());
    m.put("token", j.token());
    m.put("headers", j.headers());
    m.put("leaseDeadline", text(leaseDeadline));
    return m;
  }

  /** An event as {@code jobq events --json} prints it. */
  static Map<String, Object> event(JobEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("position", e.position());
    m.put("at", text(e.at()));
    m.put("queue", e.queue());
    m.put("job", e.jobId());
    m.put("event", e.type().label());
    m.put("details", new TreeMap<>(e.details()));
    return m;
  }

  static Map<String, Object> page(JobPage page, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobs", page.jobs().stream().map(Views::job).toList());
    m.put("offset", page.offset());
    m.put("limit", limit);
    m.put("total", page.total());
    return m;
  }

  static Map<String, Object> stats(QueueStats s) {
    Map<String, Object> waiting = new LinkedHashMap<>();
    s.waiting().forEach((p, n) -> waiting.put(p.name().toLowerCase(), n));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", s.queue());
    m.put("paused", s.paused());
    m.put("waiting", waiting);
    m.put("waitingTotal", s.waitingTotal());
    m.put("delayed", s.delayed());
    m.put("active", s.active());
    m.put("blocked", s.blocked());
    m.put("failed", s.failed());
    m.put("completed", s.completed());
    m.put("cancelled", s.cancelled());
    m.put("totalEnqueued", s.totalEnqueued());
    m.put("totalCompleted", s.totalCompleted());
    m.put("totalFailedAttempts", s.totalFailedAttempts());
    m.put("totalDeadLettered", s.totalDeadLettered());
    m.put("totalRetried", s.totalRetried());
    m.put("totalCancelled", s.totalCancelled());
    m.put("totalStalled", s.totalStalled());
    m.put("totalReleased", s.totalReleased());
    m.put("oldestWaitingMs", s.oldestWaiting().toMillis());
    m.put("jobsPerMinute1", s.jobsPerMinute1());
    m.put("jobsPerMinute5", s.jobsPerMinute5());
    m.put("jobsPerMinute15", s.jobsPerMinute15());
    m.put("failureRate", s.failureRate());
    m.put("waitTime", latency(s.waitTime()));
    m.put("runTime", latency(s.runTime()));
    m.put("maxDepth", s.maxDepth());
    m.put("heldBack", s.heldBack());
    return m;
  }

  private static Map<String, Object> latency(Latency l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", l.samples());
    m.put("p50Ms", millis(l.p50()));
    m.put("p95Ms", millis(l.p95()));
    m.put("p99Ms", millis(l.p99()));
    m.put("meanMs", millis(l.mean()));
    return m;
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
