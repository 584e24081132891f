package dev.jobq.testing;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.JobActionOutcome;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators do to jobs: cancel.lua, retry_failed.lua, clear.lua, purge.lua, delete.lua and
 * run_now.lua.
 */
final class Operations {
  private final Store store;

  Operations(Store store) {
    this.store = store;
  }

  /**
   * Cancels jobs that have not finished. An active one is CANCELLED at once but keeps its lease,
   * and its slot under a running limit, until its worker reports or the lease passes.
   */
  Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    Input in = Input.of("cancel");
    for (int i = 0; i < idList.size(); i++) {
      in.nonempty(idList.get(i), "ARGV[" + (4 + i) + "], a job id");
    }
    QueueState q = store.queue(queue);
    long now = store.now();
    Map<String, CancelOutcome> outcomes = new LinkedHashMap<>();
    for (String id : idList) {
      outcomes.put(id, cancelOne(q, id, now));
    }
    return outcomes;
  }

  private static CancelOutcome cancelOne(QueueState q, String id, long now) {
    MemJob job = q.job(id);
    if (job == null) {
      return CancelOutcome.NOT_FOUND;
    }
    switch (job.status) {
      case WAITING -> q.waiting(job.pri).removeFirstOccurrence(id);
      case DELAYED, BLOCKED -> q.setOf(job.status).remove(id);
      case ACTIVE -> { } // its lease stays in active until its worker reports
      default -> {
        return CancelOutcome.ALREADY_FINISHED;
      }
    }
    q.finish(id, job, JobStatus.CANCELLED, now);
    q.count("cancelled", 1);
    q.emit(id, "cancelled", now);
    Dependencies.settleChildren(q, id, job, JobStatus.CANCELLED, now);
    return CancelOutcome.CANCELLED;
  }

  /**
   * Deletes a job that no longer runs; children that wait for an unfinished one are settled as
   * for a cancelled parent. WRONG_STATUS for an active job, or a cancelled one that still holds
   * its lease (its handler runs on, and its running-limit slot is its own until it stops).
   */
  JobActionOutcome delete(String queue, String id) {
    Input.of("delete").nonempty(id, "ARGV[4], a job id");
    QueueState q = store.queue(queue);
    MemJob job = q.job(id);
    if (job == null) {
      return JobActionOutcome.NOT_FOUND;
    }
    if (job.status == JobStatus.ACTIVE || q.active.contains(id)) {
      return JobActionOutcome.WRONG_STATUS;
    }
    long now = store.now();
    if (!job.status.isFinished()) {
      Dependencies.settleChildren(q, id, job, JobStatus.CANCELLED, now);
    }
    if (job.status == JobStatus.WAITING) {
      q.waiting(job.pri).removeFirstOccurrence(id);
      q.jobs.remove(id);
    } else {
      q.deleteJobs(q.setOf(job.status), List.of(id));
    }
    q.emit(id, "deleted", now, "status", job.status.name());
    return JobActionOutcome.DONE;
  }

  /** Makes a delayed job waiting now; WRONG_STATUS when it is not delayed. */
  JobActionOutcome runNow(String queue, String id) {
    Input.of("run_now").nonempty(id, "ARGV[2], a job id");
    QueueState q = store.queue(queue);
    MemJob job = q.job(id);
    if (job == null) {
      return JobActionOutcome.NOT_FOUND;
    }
    if (job.status != JobStatus.DELAYED) {
      return JobActionOutcome.WRONG_STATUS;
    }
    long now = store.now();
    q.delayed.remove(id);
    q.makeWaiting(id, job, now);
    q.emit(id, "promoted", now);
    q.wake();
    return JobActionOutcome.DONE;
  }

  /** Moves the given failed jobs back to waiting with fresh attempts; others are left alone. */
  long retryFailed(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    Input in = Input.of("retry_failed");
    for (int i = 0; i < idList.size(); i++) {
      // RedisBroker sends them 1,000 per call, each call numbering its own
      in.nonempty(idList.get(i), "ARGV[" + (3 + i % 1000) + "], a job id");
    }
    return requeue(store.queue(queue), idList);
  }

  long retryAllFailed(String queue) {
    QueueState q = store.queue(queue);
    return requeue(q, q.failed.all());
  }

  private long requeue(QueueState q, List<String> ids) {
    long now = store.now();
    long moved = 0;
    for (String id : ids) {
      if (q.failed.remove(id)) {
        MemJob job = q.job(id);
        if (job != null) {
          job.attempt = null;
          job.finishedAt = null;
          job.runAt = null;
          q.makeWaiting(id, job, now);
          q.emit(id, "requeued", now);
          moved++;
        }
      }
    }
    if (moved > 0) {
      q.wake();
    }
    return moved;
  }

  /** Deletes waiting, delayed and blocked jobs (and failed ones if asked); active jobs stay. */
  ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    QueueState q = store.queue(queue);
    long waiting = 0;
    for (int level = 0; level < 4; level++) {
      ArrayDeque<String> list = q.waiting(level);
      waiting += list.size();
      if (!dryRun) {
        list.forEach(q.jobs::remove);
        list.clear();
      }
    }
    long failed = includeFailed ? clearSet(q, q.failed, dryRun) : 0;
    return new ClearResult(waiting, clearSet(q, q.delayed, dryRun),
        clearSet(q, q.blocked, dryRun), failed);
  }

  private static long clearSet(QueueState q, ScoredSet set, boolean dryRun) {
    int n = set.size();
    if (!dryRun) {
      q.deleteJobs(set, set.all());
    }
    return n;
  }

  /** Deletes completed, cancelled and failed jobs that finished at or before now - age. */
  long purge(String queue, Duration age) {
    long cutoff = store.now() - age.toMillis();
    Input.of("purge").whole(cutoff, "cutoff (ms)", -Input.MAX_MS, Input.MAX_MS);
    QueueState q = store.queue(queue);
    long deleted = 0;
    for (ScoredSet set : List.of(q.completed, q.cancelled, q.failed)) {
      List<String> ids = new ArrayList<>(set.upTo(cutoff, -1));
      q.deleteJobs(set, ids);
      deleted += ids.size();
    }
    return deleted;
  }
}
