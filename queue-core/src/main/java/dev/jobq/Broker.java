package dev.jobq;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared state behind producers and workers. Every method is one atomic transition (or a
 * read) in the backend; a call that throws has changed nothing, or is safe to repeat. Calls
 * that finish an active job carry the lease token and are refused when it is stale.
 *
 * <p>Backend failures surface as {@link BrokerUnavailableException}.
 */
public interface Broker extends AutoCloseable {

  /** The broker's clock, which all leases, delays and timestamps use. */
  Instant now();

  /** Throws {@link BrokerUnavailableException} unless the backend answers. */
  void ping();

  /**
   * Enqueues already validated requests, in one round trip per queue. A request whose chosen id
   * names an unfinished job creates nothing and answers that job.
   */
  List<EnqueueResult> enqueue(List<JobRequest> requests);

  /**
   * Claims up to {@code max} jobs from one queue, highest priority first and FIFO inside one,
   * after promoting delayed jobs that are due. Each claimed job is ACTIVE, its attempt counted,
   * its token new, leased to {@code workerId} for {@code lease}. Empty for a paused queue.
   */
  List<Job> claim(String queue, String workerId, int max, Duration lease);

  /**
   * Blocks until a job may be ready in one of the queues or {@code maxWait} passes; returns
   * early when a delayed job falls due. False on timeout. Spurious wake-ups are allowed.
   */
  boolean awaitWork(Collection<String> queues, Duration maxWait) throws InterruptedException;

  /**
   * Wakes the idle workers of those of these queues where jobs wait, as an enqueue does: for a
   * worker that was woken by {@link #awaitWork} but will not claim (it was told to be quiet or
   * is stopping meanwhile), since one wake-up may be all that the other idle workers get. A
   * broker whose wake-ups reach every idle worker need do nothing.
   */
  default void wakeIdleWorkers(Collection<String> queues) {}

  /** Extends the leases of the given jobs (id to token) of one queue, in one call. */
  Map<String, LeaseState> renewLeases(
      String queue, String workerId, Map<String, Long> tokens, Duration lease);

  /** Completes an active job; false when the token is stale (nothing changed). */
  default boolean complete(String queue, String id, long token, String resultJson) {
    return completeAll(queue, List.of(new Completion(id, token, resultJson))).get(0);
  }

  /**
   * Completes active jobs of one queue in one call, each on its own terms: per completion, in
   * order, whether it was accepted (false: its token is stale, and that job is unchanged).
   */
  List<Boolean> completeAll(String queue, List<Completion> completions);

  /** The success of one attempt: the job, its lease token, its result as JSON (or null). */
  record Completion(String id, long token, String resultJson) {}

  /**
   * Fails an attempt: with a {@code retryDelay} and attempts left the job waits in the delayed
   * set, otherwise (null delay, or no attempt left) it goes to the failed list.
   */
  FailOutcome fail(String queue, String id, long token, Failure failure, Duration retryDelay);

  /** Puts an active job back at the head of its priority without spending its attempt. */
  boolean release(String queue, String id, long token);

  /** Stores progress JSON on an active job; false when the token is stale. */
  boolean progress(String queue, String id, long token, String progressJson);

  /**
   * Fails the attempts of jobs whose lease expired (their worker died or stalled), through their
   * own retry policy or {@code defaultPolicy}. Safe to run from many workers at once.
   *
   * @return how many jobs were reaped
   */
  int reapExpired(String queue, RetryPolicy defaultPolicy, int limit);

  /**
   * Deletes finished jobs past the retention the broker was configured with, for brokers whose
   * jobs do not expire by themselves. Workers call it every minute; safe from many at once.
   *
   * @return how many jobs were deleted
   */
  default long expireFinished(String queue) {
    return 0;
  }

  Optional<Job> get(String queue, String id);

  /** Looks for the id in every known queue. */
  Optional<Job> find(String id);

  /** Jobs of one status, in the order they will run (waiting) or by time (the rest). */
  JobPage list(String queue, JobStatus status, long offset, int limit);

  Map<String, CancelOutcome> cancel(String queue, Collection<String> ids);

  /** Moves the given failed jobs back to waiting with fresh attempts; returns how many moved. */
  long retryFailed(String queue, Collection<String> ids);

  long retryAllFailed(String queue);

  /** Deletes waiting, delayed and blocked jobs (and failed ones if asked); active jobs stay. */
  ClearResult clear(String queue, boolean includeFailed, boolean dryRun);

  /** Deletes completed, cancelled and failed jobs that finished longer ago than {@code age}. */
  long purge(String queue, Duration age);

  void pause(String queue);

  void resume(String queue);

  /**
   * Caps how many jobs may wait (waiting and delayed) in a queue: an enqueue beyond it throws
   * {@link QueueFullException} and writes nothing, a batch is refused whole. 0 lifts the cap.
   */
  void setMaxDepth(String queue, long maxDepth);

  QueueStats stats(String queue);

  /**
   * The position of the newest event of a queue ({@code "0-0"} when there is none yet): reading
   * after it sees only what happens next.
   */
  String eventsTail(String queue);

  /** The newest events of a queue, up to {@code max}, oldest first. */
  List<JobEvent> recentEvents(String queue, int max);

  /**
   * Events after the given position of each queue (queue to position), up to {@code max}, oldest
   * first within a queue. Waits up to {@code maxWait} while there are none; empty then.
   */
  List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException;

  /** Sets the limit of a queue or of one job type in it, replacing the one there was. */
  void setLimit(String queue, Limit limit);

  /** Removes the limit of the queue ({@code type} null) or of a type; false if there was none. */
  boolean removeLimit(String queue, String type);

  /** The queue's limits, the queue's own (type null) first, then by type. */
  List<Limit> limits(String queue);

  /** Adds or replaces a recurring job; its first tick is the first after now. */
  void putSchedule(Schedule schedule);

  /** False when the queue has no schedule of this name. */
  boolean removeSchedule(String queue, String name);

  /** The queue's schedules by name, each with its next tick. */
  List<Schedule.Planned> schedules(String queue);

  /**
   * Enqueues the job of every due tick of the queue's schedules, each tick exactly once however
   * many callers race; returns how many this call enqueued. Workers call it every second.
   */
  int fireDueSchedules(String queue);

  /** Every queue that has ever had a job enqueued. */
  Set<String> queues();

  /**
   * Writes a worker's heartbeat, which disappears unless renewed within {@code ttl}, and answers
   * the orders operators left for it ({@link WorkerControl#NONE} when there are none).
   */
  WorkerControl registerWorker(WorkerInfo info, Duration ttl);

  /**
   * A starting worker's first heartbeat, written only when no live worker has its id: in one
   * atomic step, so that of two starting at once under one name only one gets it. A worker
   * whose heartbeat is overdue by two intervals ({@code ttl} / 3 each) counts as dead. Returns
   * the live worker that holds the id, or empty when the id is this worker's now.
   */
  default Optional<WorkerInfo> registerNewWorker(WorkerInfo info, Duration ttl) {
    registerWorker(info, ttl);
    return Optional.empty();
  }

  /**
   * Forgets the workers whose heartbeat expired, of those silent for at least {@code silentFor}
   * (a cheap first cut); returns how many. Workers call it on a timer, so that the list stays
   * short whether or not anyone reads it.
   */
  default int pruneWorkers(Duration silentFor) {
    return 0;
  }

  /**
   * Leaves orders for a live worker (the non-null fields of {@code orders}, merged with earlier
   * ones); false, writing nothing, when no live worker has this id.
   */
  boolean controlWorker(String workerId, WorkerControl orders);

  void removeWorker(String workerId);

  /**
   * The id of the server's current run, which changes when it restarts (and may have come back
   * from a snapshot older than writes it had accepted); null when the broker cannot tell.
   */
  default String serverRunId() {
    return null;
  }

  /** Workers whose heartbeat is alive. */
  List<WorkerInfo> workers();

  @Override
  void close();
}
