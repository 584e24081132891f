package dev.jobq.testing;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One claim, as claim.lua makes it: due delayed jobs promoted first (even while paused), then
 * up to N jobs, highest priority first and FIFO within one, within the queue's running and
 * start-rate limits; each ACTIVE with its attempt counted, a new token and a lease.
 */
final class Claims {
  private static final int MAX_CLAIM = 1000;
  private static final int PROMOTE_LIMIT = 1000;
  private static final String QUEUE_SCOPE = "queue";

  private final QueueState q;
  private final long now;
  private final String worker;
  private final long deadline;
  private final List<Job> out = new ArrayList<>();
  private final List<Long> waits = new ArrayList<>();
  /** The types this claim takes; null: any type. */
  private final Set<String> only;
  /** Whether the type filter left a job of another type in its place. */
  private boolean passedOver;
  private long left;

  private Claims(QueueState q, long now, String worker, long leaseMs, Set<String> only) {
    this.q = q;
    this.now = now;
    this.worker = worker;
    this.deadline = now + leaseMs;
    this.only = only;
  }

  static List<Job> claim(Store store, String queue, String workerId, int max, Duration lease,
      Set<String> types) {
    Input in = Input.of("claim");
    String worker = in.nonempty(workerId, "worker id");
    long leaseMs = in.whole(lease.toMillis(), "lease (ms)", 1, Input.MAX_MS);
    long capped = Math.min(in.whole(max, "how many jobs at most", 0, Input.MAX_MS), MAX_CLAIM);
    Set<String> only = types == null || types.isEmpty() ? null : new HashSet<>();
    if (only != null) {
      types.forEach(t -> only.add(in.jobType(t, "a job type to take")));
    }
    Claims c = new Claims(store.queue(queue), store.now(), worker, leaseMs, only);
    return c.run(capped);
  }

  private List<Job> run(long max) {
    promote();
    if (q.paused) {
      return List.of();
    }
    left = max;
    long wanted = left;
    if (q.limits.containsKey(QUEUE_SCOPE)) {
      long[] room = room(QUEUE_SCOPE, q.active.size());
      if (room[0] < left) {
        left = room[0];
        if (room[0] == 0 && q.anyWaiting()) {
          holdBack(QUEUE_SCOPE, room[1]);
        }
      }
      wanted = left;
    }
    if (only == null && q.limits.keySet().stream().allMatch(QUEUE_SCOPE::equals)) {
      takeInOrder();
    } else {
      takeWithinTypeLimits();
    }
    if (q.limits.containsKey(QUEUE_SCOPE)) {
      countStarts(QUEUE_SCOPE, wanted - left);
    }
    waits.forEach(ms -> QueueState.sample(q.waitMs, ms));
    // all it asked for: more may be ready, for the next idle worker; and, as claim.lua does, a
    // claim that passed over other types' jobs and took some hands the wake-up on
    if (out.size() == max && q.anyWaiting() || passedOver && !out.isEmpty()) {
      q.wake();
    }
    return out;
  }

  /** Due delayed jobs go to the tail of their priority, their wait counted from when they fell due. */
  private void promote() {
    for (Map.Entry<String, Long> due : q.delayed.upToWithScores(now, PROMOTE_LIMIT)) {
      q.delayed.remove(due.getKey());
      MemJob job = q.job(due.getKey());
      if (job != null) {
        q.makeWaiting(due.getKey(), job, due.getValue());
      }
    }
  }

  private void takeInOrder() {
    for (int level = 0; level < 4; level++) {
      while (left > 0 && !q.waiting(level).isEmpty()) {
        take(q.waiting(level).pollFirst());
      }
    }
  }

  /**
   * Jobs of a type at its limit, or of a type not asked for, keep their place; the scan looks
   * past them, at most CLAIM_SCAN_WINDOW deep per priority.
   */
  private void takeWithinTypeLimits() {
    Map<String, long[]> rooms = new HashMap<>();
    Set<String> marked = new HashSet<>();
    Map<String, Long> started = new HashMap<>();
    Map<String, Long> running = null;
    for (int level = 0; level < 4 && left > 0; level++) {
      for (String id : q.waitingHead(level, WorkerBroker.CLAIM_SCAN_WINDOW)) {
        if (left <= 0) {
          break;
        }
        String type = typeOf(id);
        if (only != null && !only.contains(type)) {
          passedOver = true;
          continue;
        }
        String scope = "type:" + type;
        boolean limited = q.limits.containsKey(scope);
        boolean ok = true;
        if (limited) {
          if (!rooms.containsKey(scope)) {
            running = running != null ? running : runningByType();
            rooms.put(scope, room(scope, running.getOrDefault(type, 0L)));
          }
          ok = rooms.get(scope)[0] > 0;
          if (!ok && marked.add(scope)) {
            holdBack(scope, rooms.get(scope)[1]);
          }
        }
        if (ok) {
          q.waiting(level).removeFirstOccurrence(id);
          if (take(id) && limited) {
            rooms.get(scope)[0]--;
            started.merge(scope, 1L, Long::sum);
          }
        }
      }
    }
    started.forEach(this::countStarts);
  }

  private String typeOf(String id) {
    MemJob job = q.job(id);
    return job == null || job.type == null ? "" : job.type;
  }

  /** Running jobs per type, counted once per claim from the active set. */
  private Map<String, Long> runningByType() {
    Map<String, Long> running = new HashMap<>();
    for (String id : q.active.all()) {
      running.merge(typeOf(id), 1L, Long::sum);
    }
    return running;
  }

  /** Makes a job ACTIVE, its id already out of its wait list; false for an id without a job. */
  private boolean take(String id) {
    MemJob job = q.job(id);
    if (job == null) {
      return false;
    }
    job.status = JobStatus.ACTIVE;
    job.worker = worker;
    job.startedAt = now;
    job.attempt = job.attempts() + 1;
    // a token never repeats for an id: above its last one, and at least the clock in ms
    job.token = Math.max(job.tokenOr0() + 1, now);
    q.active.add(id, deadline);
    q.emit(id, "started", now, "attempt", job.attempt, "worker", worker);
    long ready = job.enqueuedAt != null ? job.enqueuedAt : job.createdAt;
    waits.add(Math.max(0, now - ready));
    out.add(job.toJob(q.name, id));
    left--;
    return true;
  }

  /**
   * How many more jobs of a scope may start now and, when its start rate is what stops it,
   * when its next window opens (else null): {n, opens}.
   */
  private long[] room(String scope, long running) {
    long[] l = q.limits.get(scope);
    long n = Long.MAX_VALUE;
    Long opens = null;
    if (l[0] > 0) {
      n = l[0] - running;
    }
    if (l[1] > 0) {
      long window = Math.floorDiv(now, l[2]);
      QueueState.LimitState s = q.limitState;
      long used = Long.valueOf(window).equals(s.window.get(scope))
          ? s.started.getOrDefault(scope, 0L) : 0;
      if (l[1] - used < n) {
        n = l[1] - used;
        opens = (window + 1) * l[2];
      }
    }
    return new long[] {Math.max(0, n), opens == null ? -1 : opens};
  }

  /** Notes that a scope held a job back: for stats, and for what wakes idle workers. */
  private void holdBack(String scope, long opens) {
    QueueState.LimitState s = q.limitState;
    s.heldAt.put(scope, now);
    if (opens >= 0) {
      if (s.heldUntil == null || s.heldUntil <= now || opens < s.heldUntil) {
        s.heldUntil = opens;
      }
    } else {
      s.heldRunning = true;
    }
  }

  private void countStarts(String scope, long n) {
    long[] l = q.limits.get(scope);
    if (l[1] > 0 && n > 0) {
      long window = Math.floorDiv(now, l[2]);
      QueueState.LimitState s = q.limitState;
      if (Long.valueOf(window).equals(s.window.get(scope))) {
        s.started.merge(scope, n, Long::sum);
      } else {
        s.window.put(scope, window);
        s.started.put(scope, n);
      }
    }
  }
}
