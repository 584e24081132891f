package dev.jobq.http;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.Limit;
import dev.jobq.Schedule;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of the operators' routes, with the field names of the CLI's {@code --json}
 * output for the same actions (cancel, clear, limits, schedule, workers).
 */
final class OperatorViews {
  private OperatorViews() {}

  /** One id of a cancel: outcome is cancelled, already_finished or not_found. */
  static Map<String, Object> cancelled(String id, String queue, CancelOutcome outcome) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("queue", queue);
    m.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    return m;
  }

  /** With dryRun true, the counts are what would be deleted. */
  static Map<String, Object> cleared(String queue, boolean dryRun, boolean includeFailed,
      ClearResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", queue);
    m.put("dryRun", dryRun);
    m.put("includeFailed", includeFailed);
    m.put("waiting", r.waiting());
    m.put("delayed", r.delayed());
    m.put("blocked", r.blocked());
    m.put("failed", r.failed());
    m.put("total", r.total());
    return m;
  }

  /** type null: the queue's own limit. */
  static Map<String, Object> limit(String queue, Limit l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", queue);
    m.put("type", l.type());
    m.put("maxRunning", l.maxRunning());
    m.put("maxStarted", l.maxStarted());
    m.put("perMs", millis(l.per()));
    return m;
  }

  static Map<String, Object> schedule(Schedule.Planned p) {
    Schedule s = p.schedule();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("queue", s.queue());
    m.put("type", s.job().type());
    m.put("cron", s.cron());
    m.put("zone", s.zone() == null ? null : s.zone().getId());
    m.put("everyMs", millis(s.every()));
    m.put("nextTick", p.nextTick() == null ? null : p.nextTick().toString());
    m.put("payload", Json.tree(s.job().payload()));
    m.put("priority", s.job().priority().name().toLowerCase(Locale.ROOT));
    m.put("maxAttempts", s.job().maxAttempts());
    m.put("lastTick", lastTick(p.lastTick()));
    return m;
  }

  private static Map<String, Object> lastTick(Schedule.LastTick t) {
    if (t == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", t.at().toString());
    m.put("jobId", t.jobId());
    m.put("created", t.created());
    m.put("triggered", t.triggered());
    return m;
  }

  /** heartbeatAgeMs is measured on the broker's clock, as the heartbeats are. */
  static Map<String, Object> worker(WorkerInfo w, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("host", w.host());
    m.put("pid", w.pid());
    m.put("queues", w.queues());
    m.put("concurrency", w.concurrency());
    m.put("busy", w.busy());
    m.put("processed", w.processed());
    m.put("failed", w.failed());
    m.put("startedAt", w.startedAt() == null ? null : w.startedAt().toString());
    m.put("lastHeartbeat", w.lastHeartbeat() == null ? null : w.lastHeartbeat().toString());
    m.put("heartbeatAgeMs", w.lastHeartbeat() == null ? null
        : Math.max(0, Duration.between(w.lastHeartbeat(), now).toMillis()));
    m.put("state", w.state());
    return m;
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }
}
