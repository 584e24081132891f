package dev.jobq.worker;

import java.util.Locale;

/**
 * Hears what a worker does, for metrics (queue-metrics' {@code JobqWorkerMetrics} is one):
 * attempts started and ended, claims, Redis calls and outages. Register it with {@link
 * Worker.Builder#listener}; every method does nothing unless overridden.
 *
 * <p>The calls come on the worker's own threads (job threads, the fetch loop, the outbox, the
 * maintenance), often on the path of every job: an implementation must be quick, must not
 * block and should not allocate. What it throws is logged and ignored; it never changes an
 * outcome. Tags must stay few: queues and types are given, never a job id.
 */
public interface WorkerListener {
  /** The listener of a worker that has none: it does nothing. */
  WorkerListener NONE = new WorkerListener() {};

  /** How one attempt ended; each attempt that a worker held ends in exactly one of these. */
  enum AttemptOutcome {
    /** Redis accepted its result. */
    COMPLETED,
    /** It failed and Redis scheduled another attempt. */
    RETRIED,
    /** It failed for the last time (or for good) and went to the failed list. */
    DEAD_LETTERED,
    /** It failed for the last time and its job was escalated to another queue. */
    ESCALATED,
    /** Its job was cancelled while it ran: its outcome was dropped. */
    CANCELLED,
    /** Its lease was lost (it stalled past its lease, or Redis refused its token). */
    STALLED,
    /** It went back to its queue unspent: a shutdown, or the worker failing around it. */
    RELEASED;

    /** The lowercase name, as in a metric's tag: {@code dead_lettered}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The Redis calls that the worker times. */
  enum RedisCall {
    CLAIM, COMPLETE, FAIL, RELEASE, RENEW_LEASES, HEARTBEAT;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code worker} starts: read its gauges ({@link Worker#busyThreads()}, …) from now on. */
  default void workerStarted(Worker worker) {}

  /**
   * {@code worker} has stopped (its shutdown is over): forget it, its gauges no longer count.
   * Called once, for a worker that was started.
   */
  default void workerStopped(Worker worker) {}

  /**
   * A handler starts. {@code waitMillis}: from when the job last became ready to its claim, in
   * Redis's clock; -1 if unknown.
   */
  default void jobStarted(String queue, String type, long waitMillis) {}

  /**
   * An attempt ended (its outcome is recorded in Redis, or dropped). {@code runNanos}: how long
   * the handler ran (until it returned, or until its timeout, cancel or lost lease), 0 if it
   * never ran.
   */
  default void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {}

  /** An attempt ran past its timeout; its end (retried, dead-lettered) comes as usual. */
  default void jobTimedOut(String queue, String type) {}

  /** One claim call on {@code queue} answered {@code jobs} jobs (0 when none was ready). */
  default void claimed(String queue, int jobs) {}

  /** A call to Redis was answered after {@code nanos} (calls that failed are not timed). */
  default void redisCalled(RedisCall call, long nanos) {}

  /** Redis stopped answering: an outage starts. */
  default void redisUnavailable() {}

  /** Redis answers again after {@code downNanos}. */
  default void redisAvailable(long downNanos) {}
}
