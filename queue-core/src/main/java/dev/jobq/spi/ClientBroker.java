package dev.jobq.spi;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobPage;
import dev.jobq.JobRequest;
import dev.jobq.JobSearch;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.QueueHistory;
import dev.jobq.QueueStats;
import dev.jobq.Schedule;
import dev.jobq.SearchPage;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What producers and readers need of the backend: enqueueing, and reading jobs, queues, events,
 * limits, schedules and workers. Backend failures surface as {@link
 * BrokerUnavailableException}.
 */
public interface ClientBroker extends AutoCloseable {
  /** The broker's clock, which all leases, delays and timestamps use. */
  Instant now();

  /** Throws {@link BrokerUnavailableException} unless the backend answers. */
  void ping();

  /**
   * Enqueues already validated requests, in one round trip per queue. A request whose chosen id
   * names an unfinished job creates nothing and answers that job.
   */
  List<EnqueueResult> enqueue(List<JobRequest> requests);

  Optional<Job> get(String queue, String id);

  /** Looks for the id in every known queue. */
  Optional<Job> find(String id);

  /** Jobs of one status, in the order they will run (waiting) or by time (the rest). */
  JobPage list(String queue, JobStatus status, long offset, int limit);

  /**
   * Looks through a queue's jobs, in no set order, for those the search matches: a bounded scan
   * (see {@link JobSearch}) that answers how far it looked and where to go on.
   */
  SearchPage search(String queue, JobSearch search);

  /**
   * The newest failed jobs of a queue, up to {@code max}, newest first, each read only as far as
   * grouping them by error needs: cheaper than {@link #list} when there are thousands.
   */
  List<FailedJob> newestFailed(String queue, int max);

  QueueStats stats(String queue);

  /**
   * The queue's completions and failed attempts over the last {@code span} (1 minute to 24
   * hours), per minute up to 2 hours and per ten minutes beyond (see {@link QueueHistory}); zeros
   * for a queue that never ran a job.
   *
   * @throws IllegalArgumentException when the span is out of range
   */
  QueueHistory history(String queue, Duration span);

  /** Every queue that has ever had a job enqueued. */
  Set<String> queues();

  /**
   * The position of the newest event of a queue ({@code "0-0"} when there is none yet): reading
   * after it sees only what happens next.
   */
  String eventsTail(String queue);

  /** The newest events of a queue, up to {@code max}, oldest first. */
  List<JobEvent> recentEvents(String queue, int max);

  /**
   * A queue's events after {@code position} (not included; {@code "0-0"} for the start), up to
   * {@code max}, oldest first, without waiting: empty at the stream's end.
   */
  List<JobEvent> eventsAfter(String queue, String position, int max);

  /**
   * A queue's events before {@code position} (not included; {@code "+"} for the stream's end),
   * up to {@code max}, newest first, without waiting: empty at the stream's start. Read back from
   * the end, it finds a job's newest events however many other events came since it was created.
   */
  List<JobEvent> eventsBefore(String queue, String position, int max);

  /**
   * A position before every event of the queue that happened at {@code since} or later (an
   * event's {@code at}, on the broker's clock), so that {@link #eventsAfter} from it misses none
   * of them; {@code "0-0"} when there is none before. It may be a little earlier than needed:
   * Redis numbers its stream by its own clock, which a broker's clock (a test's) may not follow.
   */
  String eventsPositionBefore(String queue, Instant since);

  /**
   * Events after the given position of each queue (queue to position), up to {@code max}, oldest
   * first within a queue. Waits up to {@code maxWait} while there are none; empty then.
   */
  List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException;

  /** The queue's limits, the queue's own (type null) first, then by type. */
  List<Limit> limits(String queue);

  /** The queue's schedules by name, each with its next tick. */
  List<Schedule.Planned> schedules(String queue);

  /** Workers whose heartbeat is alive. */
  List<WorkerInfo> workers();

  @Override
  void close();
}
