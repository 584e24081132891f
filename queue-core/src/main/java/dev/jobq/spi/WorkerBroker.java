package dev.jobq.spi;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a worker needs of the backend: claiming, leases, outcomes, the reaper, schedules and
 * its own heartbeat. Every method is one atomic transition (or a read); a call that throws has
 * changed nothing, or is safe to repeat. Calls that finish an active job carry the lease token
 * and are refused when it is stale. Backend failures surface as {@link
 * BrokerUnavailableException}.
 */
public interface WorkerBroker extends AutoCloseable {
  /** The broker's clock, which all leases, delays and timestamps use. */
  Instant now();

  /** Throws {@link BrokerUnavailableException} unless the backend answers. */
  void ping();

  /**
   * How deep a claim looks into each priority's wait list, from its head, for jobs it may take
   * when it must pass over others: jobs of a type at its limit, or of a type the caller did not
   * ask for. The bound keeps one claim from holding the backend for long, at a price: jobs
   * further back are not seen until those ahead leave the window, and if the jobs ahead are of
   * types no running worker serves, nobody takes them: 1000 jobs of an unserved type at the head
   * of a priority hide everything behind them from typed claims, for as long as they stay
   * (an untyped claim, or deleting or cancelling them, clears the way).
   */
  int CLAIM_SCAN_WINDOW = 1000;

  /**
   * Claims up to {@code max} jobs from one queue, highest priority first and FIFO inside one,
   * after promoting delayed jobs that are due. Each claimed job is ACTIVE, its attempt counted,
   * its token new, leased to {@code workerId} for {@code lease}. Empty for a paused queue.
   */
  default List<Job> claim(String queue, String workerId, int max, Duration lease) {
    return claim(queue, workerId, max, lease, Set.of());
  }

  /**
   * As {@link #claim(String, String, int, Duration)}, taking only jobs whose type is one of
   * {@code types} (null or empty: any type), for a worker that can run only some. Jobs of
   * other types keep their place, in order, for other workers; due delayed jobs of every type
   * are promoted all the same. With types, only the first {@link #CLAIM_SCAN_WINDOW} ids of
   * each priority are looked at: a job of a wanted type behind that many others is not seen
   * until some of them leave, which never happens while no worker serves their types (see
   * {@link #CLAIM_SCAN_WINDOW}). A type no job has takes nothing; a type that is not a valid job
   * type is refused with an {@link dev.jobq.InvalidJobException} naming it.
   */
  List<Job> claim(String queue, String workerId, int max, Duration lease, Set<String> types);

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

  /**
   * Enqueues the job of every due tick of the queue's schedules, each tick exactly once however
   * many callers race; returns how many this call enqueued. Workers call it every second.
   */
  int fireDueSchedules(String queue);

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

  void removeWorker(String workerId);

  /**
   * The id of the server's current run, which changes when it restarts (and may have come back
   * from a snapshot older than writes it had accepted); null when the broker cannot tell.
   */
  default String serverRunId() {
    return null;
  }

  /** The job, as {@link ClientBroker#get} reads it: workers check the jobs they hold. */
  Optional<Job> get(String queue, String id);

  /** As {@link ClientBroker#list}: workers look for the jobs they hold after a lost answer. */
  JobPage list(String queue, JobStatus status, long offset, int limit);

  @Override
  void close();
}
