package dev.jobq.worker;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that claims work: waits for free slots, claims as many jobs as there are free
 * slots (queue by queue in {@link QueueOrder}), and when the queues are empty blocks in Redis
 * until an enqueue wakes it. Survives every exception; backs off while Redis is down.
 */
final class FetchLoop implements Runnable {
  /**
   * How long one blocking wait in Redis lasts. A stop does not wait for it: the thread notices
   * the stop when the wait ends, and claims nothing after it.
   */
  static final Duration IDLE_WAIT = Duration.ofSeconds(2);
  /**
   * While the queues have more work than free slots, the loop waits up to this long for a
   * quarter of the slots to be free before it claims again: a busy worker then claims jobs by
   * the handful, one script call for several, instead of one call per finished job. Short
   * jobs free slots within it; long ones barely notice it.
   */
  static final long BUSY_LINGER_NANOS = 1_000_000;
  /** Wake-ups in a row that found nothing before the loop pauses (guards against a spin). */
  private static final int MAX_EMPTY_WAKEUPS = 10;
  private static final Logger log = LoggerFactory.getLogger(FetchLoop.class);

  private final WorkerBroker broker;
  private final WorkerConfig config;
  private final Dispatcher dispatcher;
  private final Leases leases;
  private final JobRunner runner;
  private final BrokerHealth health;
  private final SplittableRandom random = new SplittableRandom();
  private final LostClaims lostClaims;
  private volatile boolean stopped; // written under this
  private boolean claiming; // guarded by this: claimed jobs not yet handed on

  FetchLoop(WorkerBroker broker, WorkerConfig config, Dispatcher dispatcher, Leases leases,
      JobRunner runner, BrokerHealth health) {
    this.broker = broker;
    this.config = config;
    this.dispatcher = dispatcher;
    this.leases = leases;
    this.runner = runner;
    this.health = health;
    this.lostClaims = new LostClaims(broker, config.name(), leases);
  }

  synchronized void stop() {
    stopped = true;
  }

  /**
   * After {@link #stop()}: waits until no claim is under way (or the deadline), so that every
   * job claimed before the stop has been started or released. The thread itself may still be
   * blocked in Redis for up to {@link #IDLE_WAIT}; it claims nothing more and then ends.
   */
  synchronized boolean awaitNoClaim(long deadlineNanos) throws InterruptedException {
    while (claiming) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized boolean enterClaim() {
    if (stopped) {
      return false;
    }
    claiming = true;
    return true;
  }

  private synchronized void exitClaim() {
    claiming = false;
    notifyAll();
  }

  @Override
  public void run() {
    BrokerHealth.Pause pause = new BrokerHealth.Pause();
    int emptyWakeUps = 0;
    boolean busy = false;
    while (!stopped) {
      int handful = Math.max(1, dispatcher.maxRunning() / 4);
      try {
        if (!lostClaims.isEmpty()) {
          lostClaims.recover();
        }
        int free = busy ? dispatcher.awaitFreeSlots(handful, BUSY_LINGER_NANOS)
            : dispatcher.awaitFreeSlots();
        if (free == 0 || !enterClaim()) {
          continue;
        }
        int claimed;
        try {
          claimed = claim(free);
        } finally {
          exitClaim();
        }
        busy = claimed == free;
        health.succeeded();
        pause.reset();
        if (claimed > 0 || !broker.awaitWork(config.queueOrder().queues(), IDLE_WAIT)) {
          emptyWakeUps = 0;
        } else if (stopped || !dispatcher.hasFreeSlot()) {
          // Told to be quiet or to stop while it waited: the one wake-up goes to another worker.
          broker.wakeIdleWorkers(config.queueOrder().queues());
        } else if (++emptyWakeUps >= MAX_EMPTY_WAKEUPS) {
          // Woken again and again with nothing to claim (a paused queue?): do not spin.
          emptyWakeUps = 0;
          Thread.sleep(BrokerHealth.MIN_PAUSE.toMillis());
        }
      } catch (InterruptedException e) {
        // stop() interrupts; otherwise a stray interrupt, and the loop goes on
      } catch (BrokerUnavailableException e) {
        if (stopped) {
          break; // the broker may be closed under a wait that outlived the shutdown
        }
        health.failed("fetching jobs", e);
        sleepQuietly(pause);
      } catch (Throwable t) {
        if (stopped) {
          break;
        }
        log.error("fetching jobs failed; retrying", t);
        sleepQuietly(pause);
      }
    }
    log.debug("fetch loop stopped");
  }

  /** Claims up to {@code free} jobs across the queues and starts them; returns how many. */
  private int claim(int free) {
    int claimed = 0;
    for (String queue : config.queueOrder().next(random)) {
      if (claimed >= free || stopped) {
        break;
      }
      long start = System.nanoTime();
      List<Job> jobs = lostClaims.claim(queue, free - claimed, config.lease());
      config.listener().redisCalled(WorkerListener.RedisCall.CLAIM, System.nanoTime() - start);
      config.listener().claimed(queue, jobs.size());
      for (Job job : jobs) {
        start(job);
      }
      claimed += jobs.size();
    }
    return claimed;
  }

  private void start(Job job) {
    JobRun run = new JobRun(job, broker);
    leases.add(run);
    if (stopped) {
      // Claimed while the worker began to stop: hand it straight back, its attempt unspent.
      run.decide(JobRun.Decision.RELEASING);
      run.claimReport();
      runner.release(run);
      return;
    }
    runner.start(run);
  }

  private void sleepQuietly(BrokerHealth.Pause pause) {
    try {
      pause.sleep();
    } catch (InterruptedException e) {
      // stop() interrupts to end the pause early
    }
  }
}
