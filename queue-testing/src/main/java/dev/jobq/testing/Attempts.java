package dev.jobq.testing;

import dev.jobq.EnqueueResult;
import dev.jobq.JobStatus;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import dev.jobq.spi.WorkerBroker.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker reports about its attempts, each fenced by the lease token: heartbeat.lua,
 * complete.lua, fail.lua, release.lua and progress.lua, and lib.lua's fail_attempt, which the
 * reaper shares.
 */
final class Attempts {
  /** fail.lua's answers beyond the refusals. */
  static final int RETRY = 1;
  static final int DEAD = 2;
  static final int ESCALATED = 3;
  static final int ESCALATES = 4;

  private final Store store;
  private final Escalations escalations;

  Attempts(Store store, Escalations escalations) {
    this.store = store;
    this.escalations = escalations;
  }

  Map<String, LeaseState> renew(String queue, Map<String, Long> tokens, Duration lease) {
    if (tokens.isEmpty()) {
      return Map.of();
    }
    Input in = Input.of("heartbeat");
    long leaseMs = in.whole(lease.toMillis(), "lease (ms)", 1, Input.MAX_MS);
    int arg = 3;
    for (Map.Entry<String, Long> e : tokens.entrySet()) {
      in.nonempty(e.getKey(), "ARGV[" + arg + "], a job id");
      in.whole(e.getValue(), "ARGV[" + (arg + 1) + "], a lease token", 0, Input.MAX_MS);
      arg += 2;
    }
    QueueState q = store.queue(queue);
    long deadline = store.now() + leaseMs;
    Map<String, LeaseState> states = new LinkedHashMap<>();
    tokens.forEach((id, token) -> {
      MemJob job = q.job(id);
      LeaseState state = LeaseState.LOST;
      if (job != null && job.tokenOr0() == token
          && (job.status == JobStatus.ACTIVE || job.status == JobStatus.CANCELLED)) {
        // a lease that ended meanwhile (reaped, say) is not made again
        if (q.active.contains(id)) {
          q.active.add(id, deadline);
        }
        state = job.status == JobStatus.ACTIVE ? LeaseState.HELD : LeaseState.CANCELLED;
      }
      states.put(id, state);
    });
    return states;
  }

  List<Boolean> completeAll(String queue, List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    Input in = Input.of("complete");
    for (int i = 0; i < completions.size(); i++) {
      in.nonempty(completions.get(i).id(), "ARGV[" + (5 + i * 3) + "], a job id");
      in.whole(completions.get(i).token(), "ARGV[" + (6 + i * 3) + "], a lease token", 0,
          Input.MAX_MS);
    }
    QueueState q = store.queue(queue);
    long now = store.now();
    List<Boolean> out = new ArrayList<>();
    List<String> done = new ArrayList<>();
    List<Long> runs = new ArrayList<>();
    for (Completion c : completions) {
      String id = String.valueOf(c.id());
      if (q.reported(id, c.token()) != QueueState.OK) {
        out.add(false);
        continue;
      }
      MemJob job = q.job(id);
      if (c.resultJson() != null && !c.resultJson().isEmpty()) {
        job.result = c.resultJson();
      }
      job.status = JobStatus.COMPLETED;
      job.finishedAt = now;
      done.add(id);
      runs.add(Math.max(0, now - (job.startedAt == null ? now : job.startedAt)));
      out.add(true);
    }
    if (done.isEmpty()) {
      return out;
    }
    q.active.removeAll(done);
    done.forEach(id -> q.completed.add(id, now));
    for (String id : done) {
      q.emit(id, "completed", now);
      MemJob job = q.job(id);
      if (job != null && job.children != null) {
        Dependencies.settleChildren(q, id, job, JobStatus.COMPLETED, now);
      }
    }
    q.freedSlot();
    runs.forEach(ms -> QueueState.sample(q.runMs, ms));
    q.count("completed", done.size());
    q.rate.count(now, 'c', done.size());
    Store.Retention r = store.retention;
    q.trimFinished(q.completed, now, r.completedMs(), r.maxKept());
    return out;
  }

  FailOutcome fail(String queue, String id, long token, Failure failure, Duration retryDelay) {
    long delay = retryDelay == null ? -1 : Math.max(0, retryDelay.toMillis());
    Input in = Input.of("fail");
    String jobId = in.nonempty(id, "job id");
    in.whole(token, "lease token", 0, Input.MAX_MS);
    in.whole(delay, "retry delay (ms)", -1, Input.MAX_DELAY_MS);
    QueueState q = store.queue(queue);
    int code = failOnce(q, jobId, token, failure, delay, "");
    if (code == ESCALATES) {
      EnqueueResult takeover = escalations.escalate(q, jobId);
      code = failOnce(q, jobId, token, failure, delay, Escalations.takeoverOf(takeover));
    }
    return switch (code) {
      case RETRY -> FailOutcome.RETRY_SCHEDULED;
      case DEAD -> FailOutcome.DEAD_LETTERED;
      case ESCALATED -> FailOutcome.ESCALATED;
      default -> FailOutcome.STALE;
    };
  }

  /**
   * fail.lua: the refusal, ESCALATES (nothing changed: the job that takes over is to be
   * enqueued first, then {@code to} names it), or how the attempt ended.
   */
  private int failOnce(QueueState q, String id, long token, Failure f, long delay, String to) {
    int code = q.reported(id, token);
    if (code != QueueState.OK) {
      return code;
    }
    MemJob job = q.job(id);
    if (to.isEmpty() && job.escalate != null
        && (delay < 0 || job.attempts() >= job.maxAttempts)) {
      return ESCALATES;
    }
    return failAttempt(q, id, job, store.now(), String.valueOf(f.errorClass()),
        orEmpty(f.message()), orEmpty(f.stack()), delay, "failed", to);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * Ends a failed attempt of an active job: delayed for a retry when {@code delayMs >= 0} and an
   * attempt is left (RETRY); else, when {@code escalatedTo} names the job that took over,
   * cancelled with that link (ESCALATED); else dead-lettered (DEAD). The attempt's event is
   * {@code failed} or {@code stalled}, then {@code retrying}, {@code escalated} or {@code
   * dead-lettered}.
   */
  static int failAttempt(QueueState q, String id, MemJob job, long now, String errorClass,
      String message, String stack, long delayMs, String event, String escalatedTo) {
    q.active.remove(id);
    q.freedSlot();
    q.count("failed", 1);
    q.rate.count(now, 'f', 1);
    QueueState.sample(q.runMs, now - (job.startedAt == null ? now : job.startedAt));
    job.errorClass = errorClass;
    job.error = message;
    job.stack = stack;
    q.emit(id, event, now, "attempt", job.attempts(), "error", errorClass + ": " + message);
    if (delayMs >= 0 && job.attempts() < job.maxAttempts) {
      job.status = JobStatus.DELAYED;
      job.runAt = now + delayMs;
      q.delayed.add(id, now + delayMs);
      q.count("retried", 1);
      q.emit(id, "retrying", now, "run_at", now + delayMs);
      q.wake(); // idle workers sleep until the next due job they know of; this one may be sooner
      return RETRY;
    }
    if (!escalatedTo.isEmpty() && !escalatedTo.equals("-")) {
      job.escalatedTo = escalatedTo;
      q.finish(id, job, JobStatus.CANCELLED, now);
      q.count("escalated", 1);
      q.emit(id, "escalated", now, "to", escalatedTo);
      Dependencies.settleChildren(q, id, job, JobStatus.CANCELLED, now);
      return ESCALATED;
    }
    q.finish(id, job, JobStatus.FAILED, now);
    q.count("dead", 1);
    q.emit(id, "dead-lettered", now);
    Dependencies.settleChildren(q, id, job, JobStatus.FAILED, now);
    return DEAD;
  }

  boolean release(String queue, String id, long token) {
    Input in = Input.of("release");
    String jobId = in.nonempty(id, "job id");
    in.whole(token, "lease token", 0, Input.MAX_MS);
    QueueState q = store.queue(queue);
    if (q.reported(jobId, token) != QueueState.OK) {
      return false;
    }
    long now = store.now();
    MemJob job = q.job(jobId);
    q.active.remove(jobId);
    q.freedSlot();
    // back to the attempt count it had; a job that never ran has none
    int attempt = job.attempts() - 1;
    job.attempt = attempt <= 0 ? null : attempt;
    job.status = JobStatus.WAITING;
    job.enqueuedAt = now;
    q.waiting(job.pri).addFirst(jobId);
    q.count("released", 1);
    q.emit(jobId, "released", now);
    q.wake();
    return true;
  }

  boolean progress(String queue, String id, long token, String progressJson) {
    Input in = Input.of("progress");
    String jobId = in.nonempty(id, "job id");
    in.whole(token, "lease token", 0, Input.MAX_MS);
    QueueState q = store.queue(queue);
    if (q.held(jobId, token) != QueueState.OK) {
      return false;
    }
    long now = store.now();
    MemJob job = q.job(jobId);
    job.progress = String.valueOf(progressJson);
    job.progressAt = now;
    q.emit(jobId, "progress", now, "progress", job.progress);
    return true;
  }
}
