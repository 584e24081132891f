package dev.jobq.cli;

import dev.jobq.Latency;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import dev.jobq.WorkerInfo;
import java.io.PrintWriter;
import java.util.List;

/** The human forms of queue figures and workers, shared by monitor, stats and workers. */
final class Reports {
  private Reports() {}

  /**
   * One row per queue, the most telling columns within {@code width} (monitor's default): how
   * much waits and for how long (the oldest: a queue nobody serves shows it growing, when its
   * wait p95 has no new samples), runs and failed, how fast it goes, how long jobs run.
   */
  static void queueTable(List<QueueStats> queues, int width, PrintWriter out) {
    Table t = new Table("QUEUE", "STATE", "WAITING", "OLDEST", "ACTIVE", "FAILED", "JOBS/MIN",
        "FAIL%", "RUN P95");
    for (QueueStats s : queues) {
      t.add(s.queue(), state(s), s.waitingTotal(), oldest(s), s.active(), s.failed(),
          Format.rate(s.jobsPerMinute1()), Format.percent(s.failureRate()), p95(s.runTime()));
    }
    t.print(out, width);
    heldBack(queues, width, out);
  }

  /** One row per queue, every column (monitor --wide); the last four are totals since creation. */
  static void queueTable(List<QueueStats> queues, PrintWriter out) {
    Table t = new Table("QUEUE", "STATE", "WAITING", "CRIT/HIGH/NORM/LOW", "OLDEST", "DELAYED",
        "ACTIVE", "FAILED", "DONE 1M", "DONE 1H", "JOBS/MIN 1/5/15", "FAIL%",
        "WAIT MEAN/P50/P95", "RUN MEAN/P50/P95", "RETRIED", "CANCELLED", "STALLED", "RELEASED");
    for (QueueStats s : queues) {
      t.add(s.queue(), state(s), s.waitingTotal(), byPriority(s), oldest(s),
          s.delayed(), s.active(), s.failed(), s.completedLastMinute(), s.completedLastHour(),
          Format.rate(s.jobsPerMinute1()) + "/" + Format.rate(s.jobsPerMinute5()) + "/"
              + Format.rate(s.jobsPerMinute15()),
          Format.percent(s.failureRate()), meanP50P95(s.waitTime()), meanP50P95(s.runTime()),
          s.totalRetried(), s.totalCancelled(), s.totalStalled(), s.totalReleased());
    }
    t.print(out);
    heldBack(queues, Integer.MAX_VALUE, out);
  }

  private static void heldBack(List<QueueStats> queues, int width, PrintWriter out) {
    for (QueueStats s : queues) {
      if (!s.heldBack().isEmpty()) {
        out.println(Format.cell(s.queue() + " is held back by its limits: "
            + String.join("; ", s.heldBack()), width));
      }
    }
  }

  /** Paused, limited (a limit held ready jobs back just now) or running. */
  private static String state(QueueStats s) {
    return s.paused() ? "paused" : !s.heldBack().isEmpty() ? "limited" : "running";
  }

  /** Everything about one queue, a line per topic: what stats shows. */
  static void queueBlock(QueueStats s, PrintWriter out) {
    out.println("queue " + s.queue() + (s.paused() ? " (paused)" : ""));
    line(out, "waiting", s.waitingTotal() + " (critical " + s.waiting().getOrDefault(Priority.CRITICAL, 0L)
        + ", high " + s.waiting().getOrDefault(Priority.HIGH, 0L)
        + ", normal " + s.waiting().getOrDefault(Priority.NORMAL, 0L)
        + ", low " + s.waiting().getOrDefault(Priority.LOW, 0L) + ")"
        + (s.waitingTotal() == 0 ? "" : "; the oldest ready for "
            + Format.duration(s.oldestWaiting())));
    line(out, "delayed", s.delayed());
    line(out, "active", s.active());
    line(out, "blocked", s.blocked());
    line(out, "failed", s.failed() + " in the failed list");
    line(out, "completed", s.completed() + " kept; " + s.completedLastMinute()
        + " in the last minute, " + s.completedLastHour() + " in the last hour");
    line(out, "cancelled", s.cancelled());
    line(out, "throughput", Format.rate(s.jobsPerMinute1()) + " / " + Format.rate(s.jobsPerMinute5())
        + " / " + Format.rate(s.jobsPerMinute15()) + " jobs per minute (1 / 5 / 15 min averages)");
    line(out, "failures", Format.percent(s.failureRate()) + " of attempts in the last 15 min");
    line(out, "wait time", percentiles(s.waitTime()));
    line(out, "run time", percentiles(s.runTime()));
    line(out, "totals", "enqueued " + s.totalEnqueued() + ", completed " + s.totalCompleted()
        + ", failed attempts " + s.totalFailedAttempts() + ", retried " + s.totalRetried()
        + ", dead-lettered " + s.totalDeadLettered() + ", cancelled " + s.totalCancelled()
        + ", stalled " + s.totalStalled() + ", released " + s.totalReleased()
        + (s.totalOrphans() == 0 ? ""
            : ", ids without a job dropped from active " + s.totalOrphans()));
    line(out, "max depth", s.maxDepth() == 0 ? "unlimited" : String.valueOf(s.maxDepth()));
    if (!s.heldBack().isEmpty()) {
      line(out, "held back", String.join("; ", s.heldBack()));
    }
  }

  /** One row per worker, every column (workers, monitor --wide). */
  static void workerTable(List<WorkerInfo> workers, LateWorkers late, PrintWriter out) {
    if (workers.isEmpty()) {
      out.println("no live workers");
      return;
    }
    Table t = new Table("WORKER", "HOST", "PID", "QUEUES", "BUSY", "STATE", "PROCESSED",
        "FAILED", "HEARTBEAT", "UP");
    for (WorkerInfo w : workers) {
      t.add(w.id(), w.host(), w.pid(), String.join(",", w.queues()),
          w.busy() + "/" + w.concurrency(), w.state(), w.processed(), w.failed(),
          late.heartbeat(w), Format.age(w.startedAt(), late.now()));
    }
    t.print(out);
  }

  /** One row per worker within {@code width} (monitor's default): the id says host and pid. */
  static void workerTable(List<WorkerInfo> workers, LateWorkers late, int width, PrintWriter out) {
    if (workers.isEmpty()) {
      out.println("no live workers");
      return;
    }
    Table t = new Table("WORKER", "BUSY", "STATE", "PROCESSED", "FAILED", "HEARTBEAT", "UP");
    for (WorkerInfo w : workers) {
      t.add(w.id(), w.busy() + "/" + w.concurrency(), w.state(), w.processed(), w.failed(),
          late.heartbeat(w), Format.age(w.startedAt(), late.now()));
    }
    t.print(out, width);
  }

  /**
   * {@code 3 workers, 5/24 busy, 1 late (no heartbeat for over 20s): w-2}; the late are named,
   * since a late worker may hold leases that the reaper takes back only when they expire.
   */
  static String workerSummary(List<WorkerInfo> workers, LateWorkers late) {
    int busy = workers.stream().mapToInt(WorkerInfo::busy).sum();
    int threads = workers.stream().mapToInt(WorkerInfo::concurrency).sum();
    List<String> lateIds = late.among(workers).stream().map(WorkerInfo::id).toList();
    return workers.size() + (workers.size() == 1 ? " worker, " : " workers, ") + busy + "/"
        + threads + " busy, " + lateIds.size() + " late (no heartbeat for over "
        + Format.duration(late.after()) + ")" + (lateIds.isEmpty() ? "" : ": "
        + String.join(", ", lateIds));
  }

  private static String byPriority(QueueStats s) {
    StringBuilder b = new StringBuilder();
    for (Priority p : Priority.values()) {
      b.append(b.length() == 0 ? "" : "/").append(s.waiting().getOrDefault(p, 0L));
    }
    return b.toString();
  }

  /** How long the oldest waiting job has been ready; {@code -} when none waits. */
  private static String oldest(QueueStats s) {
    return s.waitingTotal() == 0 ? "-" : Format.duration(s.oldestWaiting());
  }

  private static String meanP50P95(Latency l) {
    return l == null || l.samples() == 0 ? "-" : Format.duration(l.mean()) + "/"
        + Format.duration(l.p50()) + "/" + Format.duration(l.p95());
  }

  private static String p95(Latency l) {
    return l == null || l.samples() == 0 ? "-" : Format.duration(l.p95());
  }

  private static String percentiles(Latency l) {
    if (l == null || l.samples() == 0) {
      return "no samples yet";
    }
    return "mean " + Format.duration(l.mean()) + ", p50 " + Format.duration(l.p50()) + ", p95 "
        + Format.duration(l.p95()) + ", p99 " + Format.duration(l.p99()) + " (" + l.samples()
        + " samples)";
  }

  private static void line(PrintWriter out, String name, Object value) {
    out.printf("  %-11s %s%n", name, value);
  }
}
