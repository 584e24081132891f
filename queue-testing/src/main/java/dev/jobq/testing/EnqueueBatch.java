package dev.jobq.testing;

import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One queue's share of an enqueue, as enqueue.lua makes it: every request checked and every
 * refusal (unknown parent, queue full, a schedule's tick already fired) found before the first
 * write, then each job created, or answered with the job that stays under its id or holds its
 * uniqueness key.
 */
final class EnqueueBatch {
  static final int QUEUE_FULL = -5;
  static final int UNKNOWN_PARENT = -6;
  static final int TICK_TAKEN = -7;
  /** How deep a job already waiting is looked for to answer its position. */
  private static final int POSITION_SCAN = 10_000;

  /**
   * A schedule's firing, recorded as its last: a tick, enqueued only while the schedule is
   * still due at {@code due}, then moved on to {@code next}; or, {@code triggered}, by hand,
   * only while the schedule exists, its next tick left as it was.
   */
  record Tick(String schedule, boolean triggered, long due, long next) {
    static Tick byHand(String schedule) {
      return new Tick(schedule, true, 0, 0);
    }
  }

  /** Per request: whether it was created, the status, the position, the id answered. */
  record Row(boolean created, JobStatus status, long position, String answered) {}

  /**
   * The rows and the completions of the last five minutes, or a refusal code with its
   * details ({@code {job, parent}} or {@code {depth, maximum}}).
   */
  record Outcome(int refusal, List<Object> details, List<Row> rows, long recent) {}

  private final QueueState q;
  private final long now;
  private final List<JobRequest> batch;
  private final long[] runAt;
  private final long[] sizes = new long[4];
  private final Integer[] ranks;
  private final int[] levels;
  private final JobStatus[] statuses;
  private final boolean[] created;
  private final String[] answered;
  /** A request of this batch answered by the holder of its uniqueness key: its children wait for that job. */
  private final Map<String, String> heldBy = new HashMap<>();
  private final List<List<String>> newWaiting = List.of(
      new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  private boolean anyDoomed;

  EnqueueBatch(QueueState q, long now, List<JobRequest> batch) {
    this.q = q;
    this.now = now;
    this.batch = batch;
    int n = batch.size();
    runAt = new long[n];
    ranks = new Integer[n];
    levels = new int[n];
    statuses = new JobStatus[n];
    created = new boolean[n];
    answered = new String[n];
  }

  /** The run-at time a request asks for, in ms, 0 for now (as RedisBroker sends it). */
  static long runAtMs(JobRequest r, long now) {
    if (r.runAt() != null) {
      return r.runAt().toEpochMilli();
    }
    return r.delay().isZero() ? 0 : now + r.delay().toMillis();
  }

  Outcome run(Tick tick) {
    check();
    if (tick != null && (tick.triggered() ? !q.schedules.containsKey(tick.schedule())
        : !Objects.equals(q.scheduleNext.score(tick.schedule()), tick.due()))) {
      return refused(TICK_TAKEN, List.of());
    }
    Set<String> earlier = new HashSet<>();
    for (JobRequest r : batch) {
      for (String parent : r.dependsOn()) {
        if (!earlier.contains(parent) && q.job(parent) == null) {
          return refused(UNKNOWN_PARENT, List.of(r.id(), parent));
        }
      }
      earlier.add(r.id());
    }
    for (int level = 0; level < 4; level++) {
      sizes[level] = q.waiting(level).size();
    }
    if (q.maxDepth > 0) {
      long depth = q.delayed.size() + sizes[0] + sizes[1] + sizes[2] + sizes[3];
      long fresh = batch.stream().filter(r -> !stays(q.job(r.id()), r)).count();
      if (fresh > 0 && depth + fresh > q.maxDepth) {
        return refused(QUEUE_FULL, List.of(depth, q.maxDepth));
      }
    }
    long uniques = batch.stream().filter(r -> r.uniqueKey() != null).count();
    if (uniques > 0) {
      q.forgetWindows(now, (int) (uniques + Math.min(uniques, 1000) + 100));
    }
    for (int i = 0; i < batch.size(); i++) {
      place(i);
    }
    return finish(tick);
  }

  /** The checks enqueue.lua makes that a JobRequest does not: the run-at time, on this clock. */
  private void check() {
    for (int i = 0; i < batch.size(); i++) {
      JobRequest r = batch.get(i);
      runAt[i] = runAtMs(r, now);
      Input.of("enqueue").owner("job " + (i + 1) + " (id " + Input.shown(r.id()) + ")")
          .whole(runAt[i], "run at (ms)", 0, now + Input.MAX_DELAY_MS + Input.DAY_MS);
    }
  }

  private Outcome refused(int code, List<Object> details) {
    return new Outcome(code, details, List.of(), 0);
  }

  /** An id names a job that stays while unfinished, and once finished unless replaced. */
  private static boolean stays(MemJob job, JobRequest r) {
    return job != null && job.status != null && (!job.isFinished() || !r.replacesFinished());
  }

  /** The job that holds a uniqueness key still in its window, if that job still exists. */
  private String holderOf(String key) {
    Long until = key == null ? null : q.uniqueUntil.score(key);
    if (until == null || until <= now) {
      return null;
    }
    String holder = q.unique.get(key);
    return holder != null && q.job(holder) != null ? holder : null;
  }

  private void place(int i) {
    JobRequest r = batch.get(i);
    String id = r.id();
    MemJob job = q.job(id);
    String holder = holderOf(r.uniqueKey());
    answered[i] = id;
    if (stays(job, r)) {
      levels[i] = job.pri;
      statuses[i] = job.status;
    } else if (holder != null) {
      MemJob held = q.job(holder);
      levels[i] = held.pri;
      statuses[i] = held.status;
      answered[i] = holder;
      heldBy.put(id, holder);
    } else {
      if (job != null) {
        q.setOf(job.status).remove(id); // a finished job replaced: the new job takes its id
      }
      create(i, r);
    }
  }

  private void create(int i, JobRequest r) {
    String id = r.id();
    int level = r.priority().level();
    MemJob old = q.job(id);
    MemJob job = MemJob.from(r, now, old == null ? null : old.token);
    if (old != null && old.status == JobStatus.CANCELLED) {
      q.endCancelledLease(id);
    }
    Dependencies.Adoption deps = new Dependencies.Adoption(0, null);
    if (!r.dependsOn().isEmpty()) {
      List<String> parents = r.dependsOn().stream().map(p -> heldBy.getOrDefault(p, p)).toList();
      deps = Dependencies.adopt(q, id, parents, r.runsEvenIfParentsFail());
      job.deps = parents;
      job.depsLeft = deps.pending();
      job.depsAnyway = r.runsEvenIfParentsFail();
      if (runAt[i] > now) {
        job.runAt = runAt[i]; // kept while blocked: once ready, it is delayed until then
      }
    }
    if (deps.doomed() != null) {
      job.status = JobStatus.CANCELLED;
      job.finishedAt = now;
      job.errorClass = "dev.jobq.ParentFailed";
      job.error = deps.doomed();
      q.cancelled.add(id, now);
      q.count("cancelled", 1);
    } else if (deps.pending() > 0) {
      job.status = JobStatus.BLOCKED;
      q.blocked.add(id, now);
    } else if (runAt[i] > now) {
      job.status = JobStatus.DELAYED;
      job.runAt = runAt[i];
      q.delayed.add(id, runAt[i]);
    } else {
      job.status = JobStatus.WAITING;
      if (job.deps != null) {
        job.enqueuedAt = now; // ready at once, its parents all done: it did not wait from creation
      }
      newWaiting.get(level).add(id);
      ranks[i] = (int) sizes[level];
      sizes[level]++;
    }
    job.seq = ++q.lastSeq;
    q.jobs.put(id, job);
    if (r.uniqueKey() != null) {
      q.unique.put(r.uniqueKey(), id);
      q.uniqueUntil.add(r.uniqueKey(), now + r.uniqueWindow().toMillis());
    }
    q.emit(id, "enqueued", now, "status", job.status);
    if (deps.doomed() != null) {
      q.emit(id, "cancelled", now, "error", deps.doomed());
      anyDoomed = true;
    }
    levels[i] = level;
    statuses[i] = job.status;
    created[i] = true;
  }

  private Outcome finish(Tick tick) {
    if (tick != null) {
      if (!tick.triggered()) {
        q.scheduleNext.add(tick.schedule(), tick.next());
      }
      q.scheduleLast.put(tick.schedule(), new Schedule.LastTick(Instant.ofEpochMilli(now),
          answered[0], created[0], tick.triggered()));
    }
    if (anyDoomed) {
      Store.Retention r = q.store.retention;
      q.trimFinished(q.cancelled, now, r.cancelledMs(), r.maxKept());
    }
    for (int level = 0; level < 4; level++) {
      q.waiting(level).addAll(newWaiting.get(level));
    }
    long made = 0;
    for (boolean c : created) {
      made += c ? 1 : 0;
    }
    if (made > 0) {
      q.count("enqueued", made);
      q.wake();
    }
    List<Row> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      long position = statuses[i] == JobStatus.WAITING ? position(i) : -1;
      rows.add(new Row(created[i], statuses[i], position, answered[i]));
    }
    return new Outcome(0, List.of(), rows, (long) q.rate.sum(now, 'c', 4));
  }

  /** Jobs ahead of it; one already waiting deeper than the scan is placed at the end. */
  private long position(int i) {
    int level = levels[i];
    long rank;
    if (ranks[i] != null) {
      rank = ranks[i];
    } else {
      int at = q.waitingHead(level, POSITION_SCAN).indexOf(answered[i]);
      rank = at >= 0 ? at : sizes[level] - 1;
    }
    for (int l = 0; l < level; l++) {
      rank += sizes[l];
    }
    return rank;
  }
}
