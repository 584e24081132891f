package dev.jobq.testing;

import dev.jobq.Backoff;
import dev.jobq.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Expired leases and retention: reap.lua as RedisBroker drives it (each expired lease fails its
 * attempt through the job's own retry policy, or the default one; escalating jobs hand over
 * first), and expire.lua.
 */
final class Reaper {
  private static final String LEASE_EXPIRED = "dev.jobq.LeaseExpired";

  private final Store store;
  private final Escalations escalations;
  private final RandomGenerator random = RandomGenerator.getDefault();

  Reaper(Store store, Escalations escalations) {
    this.store = store;
    this.escalations = escalations;
  }

  int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    QueueState q = store.queue(queue);
    long now = store.now();
    List<String> ids = q.active.upTo(now, limit);
    List<String> escalating = new ArrayList<>();
    int reaped = 0;
    for (String id : ids) {
      reaped += reap(q, id, now, retryDelayMs(q.job(id), defaultPolicy), "", escalating);
    }
    // they escalate: the jobs that take over first, then the originals
    for (String id : escalating) {
      String to = Escalations.takeoverOf(escalations.escalate(q, id));
      reaped += reap(q, id, now, retryDelayMs(q.job(id), defaultPolicy), to, new ArrayList<>());
    }
    return reaped;
  }

  /**
   * One expired lease: an active job fails its attempt (1), unless it escalates and no
   * takeover is named yet (noted in {@code escalating}); the lease a cancelled job kept just
   * ends; an id without a job leaves the active set, counted as an orphan.
   */
  private int reap(QueueState q, String id, long now, long delay, String to,
      List<String> escalating) {
    Long deadline = q.active.score(id);
    if (deadline == null || deadline > now) {
      return 0;
    }
    MemJob job = q.job(id);
    if (job == null || job.status == null) {
      q.active.remove(id);
      q.freedSlot();
      q.count("orphans", 1);
      return 0;
    }
    if (q.held(id, job.tokenOr0()) != QueueState.OK) {
      if (job.status == dev.jobq.JobStatus.CANCELLED) {
        q.endCancelledLease(id);
      }
      return 0;
    }
    if (to.isEmpty() && delay < 0 && job.escalate != null) {
      escalating.add(id);
      return 0;
    }
    String why = "worker " + (job.worker == null ? "?" : job.worker)
        + " stopped renewing its lease (it died, stalled or lost Redis)";
    Attempts.failAttempt(q, id, job, now, LEASE_EXPIRED, why, "", delay, "stalled", to);
    q.count("stalled", 1);
    return 1;
  }

  /** The job's own policy where it has one; -1 when no attempt is left. */
  private long retryDelayMs(MemJob job, RetryPolicy defaultPolicy) {
    try {
      Backoff backoff = job.backoff == null ? defaultPolicy.backoff() : Backoff.parse(job.backoff);
      return new RetryPolicy(job.maxAttempts, backoff).nextDelay(job.attempts(), random)
          .map(Duration::toMillis).orElse(-1L);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Deletes finished jobs past their retention, at most a slice per index, and forgets up to
   * 1,000 uniqueness windows that ended.
   */
  long expireFinished(String queue) {
    QueueState q = store.queue(queue);
    long now = store.now();
    Store.Retention r = store.retention;
    q.forgetWindows(now, 1000);
    return q.trimFinished(q.completed, now, r.completedMs(), r.maxKept())
        + q.trimFinished(q.failed, now, r.failedMs(), Long.MAX_VALUE)
        + q.trimFinished(q.cancelled, now, r.cancelledMs(), r.maxKept());
  }
}
