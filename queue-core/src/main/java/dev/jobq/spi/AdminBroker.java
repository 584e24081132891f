package dev.jobq.spi;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.EnqueueResult;
import dev.jobq.JobActionOutcome;
import dev.jobq.Limit;
import dev.jobq.QueueFullException;
import dev.jobq.Schedule;
import dev.jobq.WorkerControl;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What operators need beyond reading: cancelling, retrying, clearing and purging jobs, pausing
 * queues, limits, schedules and orders for workers. Each call is atomic per queue.
 */
public interface AdminBroker extends ClientBroker {
  Map<String, CancelOutcome> cancel(String queue, Collection<String> ids);

  /** Moves the given failed jobs back to waiting with fresh attempts; returns how many moved. */
  long retryFailed(String queue, Collection<String> ids);

  long retryAllFailed(String queue);

  /**
   * Deletes one job that no longer runs (an active one is cancelled first): its children that
   * wait for it are settled as for a cancelled parent. WRONG_STATUS, changing nothing, for a job
   * that still runs: ACTIVE, or CANCELLED while it ran and still holding its lease (its handler
   * has not stopped; deleting it would free its running-limit slot early).
   */
  JobActionOutcome delete(String queue, String id);

  /**
   * Makes a delayed job (scheduled for later or backing off) waiting now, at the tail of its
   * priority; WRONG_STATUS, changing nothing, when it is not delayed.
   */
  JobActionOutcome runNow(String queue, String id);

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

  /** Sets the limit of a queue or of one job type in it, replacing the one there was. */
  void setLimit(String queue, Limit limit);

  /** Removes the limit of the queue ({@code type} null) or of a type; false if there was none. */
  boolean removeLimit(String queue, String type);

  /** Adds or replaces a recurring job; its first tick is the first after now. */
  void putSchedule(Schedule schedule);

  /** False when the queue has no schedule of this name; its last firing goes with it. */
  boolean removeSchedule(String queue, String name);

  /**
   * Enqueues the schedule's job now, named {@code name@<now in epoch ms>}, and records it as the
   * schedule's last firing ({@link Schedule.LastTick#triggered()}) in the same step; its next
   * ticks stay as they were. Empty when the queue has no schedule of this name, or when it was
   * replaced or removed while this call ran (the job of an old definition is not enqueued).
   * Abstract, with no default: enqueueing and recording the firing in one step needs the
   * broker's own storage, which {@link #putSchedule} and an enqueue could not promise.
   *
   * @throws QueueFullException when the queue is full; then nothing is enqueued or recorded
   */
  Optional<EnqueueResult> triggerSchedule(String queue, String name);

  /**
   * Leaves orders for a live worker (the non-null fields of {@code orders}, merged with earlier
   * ones); false, writing nothing, when no live worker has this id.
   */
  boolean controlWorker(String workerId, WorkerControl orders);
}
