package dev.jobq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.Latency;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The documented shapes of {@code --json} output (README.md). Every field is always present
 * (null when it does not apply), instants are ISO-8601 strings, durations are milliseconds in
 * fields ending in {@code Ms}, and enum values are lower case, as the flags take them.
 */
final class Views {
  private Views() {}

  record EnqueueView(
      String id, String queue, boolean created, String status, long position,
      Long estimatedWaitMs) {
    static EnqueueView of(EnqueueResult r) {
      return new EnqueueView(r.jobId(), r.queue(), r.created(), lower(r.status()), r.position(),
          millis(r.estimatedWait()));
    }
  }

  record JobView(
      String id, String queue, String type, String priority, String status, int attempt,
      int maxAttempts, String backoff, Long timeoutMs, JsonNode payload, JsonNode result,
      JsonNode progress, String errorClass, String error, String stack, String worker,
      long token, String createdAt, String enqueuedAt, String runAt, String startedAt,
      String finishedAt, List<String> dependsOn, Map<String, String> headers,
      String escalatedTo) {
    static JobView of(Job j) {
      return new JobView(j.id(), j.queue(), j.type(), lower(j.priority()), lower(j.status()),
          j.attempt(), j.maxAttempts(), j.backoff() == null ? null : j.backoff().spec(),
          millis(j.timeout()), json(j.payload()), json(j.result()), json(j.progress()),
          blankToNull(j.errorClass()), blankToNull(j.error()), blankToNull(j.stack()),
          blankToNull(j.worker()), j.token(), iso(j.createdAt()), iso(j.enqueuedAt()),
          iso(j.runAt()), iso(j.startedAt()), iso(j.finishedAt()), j.dependsOn(),
          new java.util.TreeMap<>(j.headers()), j.escalatedTo());
    }
  }

  record QueueView(
      String queue, boolean paused, long waiting, Map<String, Long> waitingByPriority,
      long delayed, long active, long blocked, long failed, long completed, long cancelled,
      long completedLastMinute, long completedLastHour, double jobsPerMinute1,
      double jobsPerMinute5, double jobsPerMinute15, double failureRate, int waitSamples,
      long p50WaitMs, long p95WaitMs, long p99WaitMs, long meanWaitMs, int runSamples,
      long p50RunMs, long p95RunMs, long p99RunMs, long meanRunMs, long totalEnqueued,
      long totalCompleted, long totalFailedAttempts, long totalDeadLettered, long totalOrphans,
      long totalRetried, long totalCancelled, long totalStalled, long totalReleased,
      long oldestWaitingMs, long maxDepth, List<String> heldBack) {
    static QueueView of(QueueStats s) {
      Map<String, Long> byPriority = new LinkedHashMap<>();
      for (Priority p : Priority.values()) {
        byPriority.put(lower(p), s.waiting().getOrDefault(p, 0L));
      }
      Latency w = s.waitTime() == null ? Latency.NONE : s.waitTime();
      Latency r = s.runTime() == null ? Latency.NONE : s.runTime();
      return new QueueView(s.queue(), s.paused(), s.waitingTotal(), byPriority, s.delayed(),
          s.active(), s.blocked(), s.failed(), s.completed(), s.cancelled(),
          s.completedLastMinute(), s.completedLastHour(), s.jobsPerMinute1(),
          s.jobsPerMinute5(), s.jobsPerMinute15(), s.failureRate(), w.samples(),
          w.p50().toMillis(), w.p95().toMillis(), w.p99().toMillis(), w.mean().toMillis(),
          r.samples(), r.p50().toMillis(), r.p95().toMillis(), r.p99().toMillis(),
          r.mean().toMillis(), s.totalEnqueued(),
          s.totalCompleted(), s.totalFailedAttempts(), s.totalDeadLettered(), s.totalOrphans(),
          s.totalRetried(), s.totalCancelled(), s.totalStalled(), s.totalReleased(),
          s.oldestWaiting().toMillis(), s.maxDepth(), s.heldBack());
    }
  }

  record WorkerView(
      String id, String host, long pid, List<String> queues, int concurrency, int busy,
      long processed, long failed, String startedAt, String lastHeartbeat,
      Long heartbeatAgeMs, String state) {
    static WorkerView of(WorkerInfo w, Instant now) {
      Long age = w.lastHeartbeat() == null ? null
          : Math.max(0, Duration.between(w.lastHeartbeat(), now).toMillis());
      return new WorkerView(w.id(), w.host(), w.pid(), w.queues(), w.concurrency(), w.busy(),
          w.processed(), w.failed(), iso(w.startedAt()), iso(w.lastHeartbeat()), age, w.state());
    }
  }

  /** One lifecycle event; {@code details} holds what the event carries (see JobEvent). */
  record EventView(
      String position, String at, String queue, String job, String event,
      Map<String, String> details) {
    static EventView of(JobEvent e) {
      return new EventView(e.position(), iso(e.at()), e.queue(), e.jobId(), e.type().label(),
          new java.util.TreeMap<>(e.details()));
    }
  }

  static String lower(Enum<?> e) {
    return e == null ? null : e.name().toLowerCase(Locale.ROOT);
  }

  static String iso(Instant t) {
    return t == null ? null : t.toString();
  }

  static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  /** Stored JSON embedded as JSON; text that does not parse is kept as a string. */
  static JsonNode json(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Json.tree(text);
    } catch (RuntimeException e) {
      return TextNode.valueOf(text);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
