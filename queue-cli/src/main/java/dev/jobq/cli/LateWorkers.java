package dev.jobq.cli;

import dev.jobq.WorkerInfo;
import dev.jobq.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which workers are late: no heartbeat for more than two intervals, so a whole beat was missed
 * and a slow one is not blamed (Redis forgets a worker after three). A heartbeat does not say
 * its worker's interval, so the interval is the one workers get in this environment:
 * {@code --heartbeat}, else {@code $JOBQ_HEARTBEAT}, else {@code $JOBQ_LEASE} / 3, else 10 s.
 */
record LateWorkers(Duration interval, Instant now) {
  /** The workers' heartbeat interval, as {@code jobq worker} would take it here. */
  static Duration interval(Env env, Duration heartbeatFlag) {
    Duration lease = env.duration(null, "JOBQ_LEASE", Worker.DEFAULT_LEASE);
    Duration interval = env.duration(heartbeatFlag, "JOBQ_HEARTBEAT", lease.dividedBy(3));
    if (interval.isZero() || interval.isNegative()) {
      throw new UsageError("the heartbeat interval (--heartbeat, else $JOBQ_HEARTBEAT, else"
          + " $JOBQ_LEASE/3) must be positive, got '" + Format.duration(interval) + "'");
    }
    return interval;
  }

  Duration after() {
    return interval.multipliedBy(2);
  }

  boolean late(WorkerInfo w) {
    return w.lastHeartbeat() != null
        && Duration.between(w.lastHeartbeat(), now).compareTo(after()) > 0;
  }

  List<WorkerInfo> among(List<WorkerInfo> workers) {
    return workers.stream().filter(this::late).toList();
  }

  /** The heartbeat cell: {@code 4s ago}, or {@code 45s ago, late}. */
  String heartbeat(WorkerInfo w) {
    return Format.age(w.lastHeartbeat(), now) + " ago" + (late(w) ? ", late" : "");
  }
}
