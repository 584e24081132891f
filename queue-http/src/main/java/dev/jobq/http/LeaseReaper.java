package dev.jobq.http;

import dev.jobq.RetryPolicy;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back the jobs of agents that vanished: an agent over HTTP has no reaper of its own, as a
 * Java worker has, so the server reaps the queues agents claim from. An expired lease ends its
 * attempt as a failed one (the job's backoff, else {@link RetryPolicy#DEFAULT}), and another
 * agent claims the job. Safe beside Java workers reaping the same queues.
 */
final class LeaseReaper {
  /** As often as the shortest lease a claim may ask for. */
  static final Duration EVERY = WorkRoutes.MIN_LEASE;
  /** The most expired jobs one pass returns per queue; the next pass takes the rest. */
  static final int REAP_LIMIT = 100;
  /** The most queues reaped; each costs one call a second. */
  static final int MAX_WATCHED = 1000;
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  private final WorkerBroker broker;
  private final Set<String> queues = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "jobq-http-lease-reaper");
        t.setDaemon(true);
        return t;
      });

  LeaseReaper(WorkerBroker broker) {
    this.broker = broker;
  }

  void start() {
    scheduler.scheduleWithFixedDelay(this::reapAll, EVERY.toMillis(), EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Reaps this queue from now on: an agent was handed a job from it. */
  /**
   * Reaps {@code queue} from now on. Every claim that reaches the broker asks, not only those
   * that got a job: leases of an earlier run of the server (or of a claim whose answer was lost)
   * must end even while no claim gets a job, or a running limit they fill would block the queue
   * for good. At most {@value #MAX_WATCHED} names, so made-up queue names cannot grow it for ever.
   */
  void watch(String queue) {
    if (queues.size() < MAX_WATCHED) {
      queues.add(queue);
    }
  }

  void stop() {
    scheduler.shutdownNow();
  }

  /** Never lets an exception out: a scheduled task that throws is silently never run again. */
  void reapAll() {
    for (String queue : queues) {
      try {
        broker.reapExpired(queue, RetryPolicy.DEFAULT, REAP_LIMIT); // which logs what it reaped
      } catch (RuntimeException e) {
        log.warn("reaping queue {} failed, trying again in {} ms: {}", queue, EVERY.toMillis(),
            e.toString());
      }
    }
  }
}
