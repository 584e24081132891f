package dev.jobq.testing;

import dev.jobq.JobStatus;
import dev.jobq.Schedule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One queue: the structures of its Redis keys (PROTOCOL.md, Keys) and the helpers every
 * transition shares (lib.lua), each doing what its Lua namesake does. Touched only under the
 * broker's lock. Not failed_errors: a shortcut for reading many failed jobs, which the jobs
 * here are already (Queries.newestFailed).
 */
final class QueueState {
  /** Refusals, as the scripts answer them (lib.lua). */
  static final int OK = 1;
  static final int NOT_FOUND = -1;
  static final int STALE = -3;
  static final int DROPPED = -4;
  /** Latency samples kept per list (lib.lua SAMPLES_KEPT). */
  static final int SAMPLES_KEPT = 1000;
  /** The most finished jobs one trim deletes per index (lib.lua TRIM_MAX). */
  static final int TRIM_MAX = 1000;

  final String name;
  final Store store;
  final Map<String, MemJob> jobs = new HashMap<>();
  long lastSeq; // the seq of the newest job (MemJob.seq)
  private final List<ArrayDeque<String>> waiting = List.of(
      new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
  final ScoredSet delayed = new ScoredSet();
  final ScoredSet active = new ScoredSet();
  final ScoredSet blocked = new ScoredSet();
  final ScoredSet failed = new ScoredSet();
  final ScoredSet completed = new ScoredSet();
  final ScoredSet cancelled = new ScoredSet();
  boolean paused;
  long maxDepth;
  final Map<String, Long> counters = new HashMap<>();
  final RateRing rate = new RateRing();
  final ArrayDeque<Long> waitMs = new ArrayDeque<>();
  final ArrayDeque<Long> runMs = new ArrayDeque<>();
  /** The wake-up marker: at most one, popped by one idle worker. */
  boolean wakeMarker;
  final EventLog events;
  final Map<String, String> unique = new HashMap<>();
  final ScoredSet uniqueUntil = new ScoredSet();
  final Map<String, Schedule> schedules = new TreeMap<>();
  final ScoredSet scheduleNext = new ScoredSet();
  /** Each schedule's last firing ({@code P:{q}:schedule_last}). */
  final Map<String, Schedule.LastTick> scheduleLast = new HashMap<>();
  /** Scope ({@code queue} or {@code type:<type>}) to {max running, max started, per ms}. */
  final Map<String, long[]> limits = new TreeMap<>();
  final LimitState limitState = new LimitState();

  /** The claim script's notes on limits ({@code P:{q}:limit_state}). */
  static final class LimitState {
    final Map<String, Long> window = new HashMap<>();
    final Map<String, Long> started = new HashMap<>();
    final Map<String, Long> heldAt = new HashMap<>();
    Long heldUntil;
    boolean heldRunning;
  }

  QueueState(String name, Store store) {
    this.name = name;
    this.store = store;
    this.events = new EventLog(name);
  }

  MemJob job(String id) {
    return jobs.get(id);
  }

  ArrayDeque<String> waiting(int level) {
    return waiting.get(level);
  }

  boolean anyWaiting() {
    return waiting.stream().anyMatch(w -> !w.isEmpty());
  }

  long waitingTotal() {
    return waiting.stream().mapToLong(ArrayDeque::size).sum();
  }

  /** The sorted set a status names; null for WAITING (lists) or none. */
  ScoredSet setOf(JobStatus status) {
    return switch (status) {
      case DELAYED -> delayed;
      case ACTIVE -> active;
      case BLOCKED -> blocked;
      case FAILED -> failed;
      case COMPLETED -> completed;
      case CANCELLED -> cancelled;
      case WAITING -> null;
    };
  }

  /** One marker, not one per job: it wakes one idle worker, who passes it on (lib.lua wake). */
  void wake() {
    wakeMarker = true;
    store.signal();
  }

  void count(String counter, long n) {
    counters.merge(counter, n, Long::sum);
  }

  long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  static void sample(ArrayDeque<Long> samples, long ms) {
    samples.addFirst(Math.max(0, ms));
    while (samples.size() > SAMPLES_KEPT) {
      samples.removeLast();
    }
  }

  /** Appends a lifecycle event at the transition's now, and wakes the readers. */
  void emit(String id, String event, long now, Object... fields) {
    events.append(store.now(), id, event, now, fields);
    store.signal();
  }

  /** Puts a job at the tail of its priority, its wait counted from {@code since}. */
  void makeWaiting(String id, MemJob job, long since) {
    job.status = JobStatus.WAITING;
    job.enqueuedAt = since;
    waiting(job.pri).addLast(id);
  }

  /** A running job left: when a running limit held jobs back, idle workers try again. */
  void freedSlot() {
    if (limitState.heldRunning) {
      limitState.heldRunning = false;
      wake();
    }
  }

  /** Deletes jobs with their entries in one index; a cancelled one takes its kept lease along. */
  void deleteJobs(ScoredSet set, List<String> ids) {
    ids.forEach(jobs::remove);
    set.removeAll(ids);
    if (set == cancelled && !ids.isEmpty() && active.removeAll(ids) > 0) {
      freedSlot();
    }
  }

  /**
   * Deletes, with their jobs, the entries of an index finished longer ago than the retention
   * and the oldest beyond {@code maxKept}, at most {@link #TRIM_MAX}; answers how many went.
   */
  long trimFinished(ScoredSet index, long now, long retentionMs, long maxKept) {
    if (retentionMs <= 0) {
      return 0;
    }
    List<String> old = index.upTo(now - retentionMs, TRIM_MAX);
    deleteJobs(index, old);
    long excess = Math.min(index.size() - maxKept, TRIM_MAX - old.size());
    if (excess <= 0) {
      return old.size();
    }
    deleteJobs(index, index.range(0, excess - 1));
    return old.size() + excess;
  }

  /** Records a finished job (FAILED or CANCELLED) in its index, trimmed as configured. */
  void finish(String id, MemJob job, JobStatus status, long now) {
    job.status = status;
    job.finishedAt = now;
    ScoredSet index = setOf(status);
    index.add(id, now);
    Store.Retention r = store.retention;
    if (status == JobStatus.CANCELLED) {
      trimFinished(index, now, r.cancelledMs(), r.maxKept());
    } else if (status == JobStatus.FAILED) {
      trimFinished(index, now, r.failedMs(), Long.MAX_VALUE);
    }
  }

  /** OK when the job is ACTIVE under this lease token, else NOT_FOUND or STALE. */
  int held(String id, long token) {
    MemJob job = jobs.get(id);
    if (job == null) {
      return NOT_FOUND;
    }
    return job.status == JobStatus.ACTIVE && job.tokenOr0() == token ? OK : STALE;
  }

  /**
   * As {@link #held}, for a worker reporting how its attempt ended: a job cancelled while it
   * ran under this token ends the lease it kept, and the outcome is dropped (DROPPED).
   */
  int reported(String id, long token) {
    int code = held(id, token);
    MemJob was = jobs.get(id);
    if (code == STALE && was.status == JobStatus.CANCELLED && was.tokenOr0() == token
        && endCancelledLease(id)) {
      return DROPPED;
    }
    return code;
  }

  /** Ends the lease a job cancelled while it ran kept; false when it had none. */
  boolean endCancelledLease(String id) {
    if (!active.remove(id)) {
      return false;
    }
    freedSlot();
    return true;
  }

  /** Forgets up to {@code n} of the uniqueness windows that ended, oldest first. */
  int forgetWindows(long now, int n) {
    List<String> ended = uniqueUntil.upTo(now, n);
    ended.forEach(unique::remove);
    uniqueUntil.removeAll(ended);
    return ended.size();
  }

  /** The ids of one priority's list, head first, at most {@code max}. */
  List<String> waitingHead(int level, int max) {
    List<String> out = new ArrayList<>();
    for (String id : waiting(level)) {
      if (out.size() >= max) {
        break;
      }
      out.add(id);
    }
    return out;
  }
}
