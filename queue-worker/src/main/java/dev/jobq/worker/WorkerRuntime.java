package dev.jobq.worker;

import dev.jobq.BrokerConfigurationException;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.WorkerControl;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parts of a running worker, wired together, and its start and graceful stop. */
final class WorkerRuntime {
  /** How long interrupted handlers get to return before the shutdown releases their jobs itself. */
  static final Duration RELEASE_WAIT = Duration.ofSeconds(2);
  /** The least time the shutdown spends trying to deliver results parked during an outage. */
  static final Duration OUTBOX_DRAIN = Duration.ofSeconds(5);
  /** How long the shutdown waits for a claim already sent to Redis to come back. */
  static final Duration CLAIM_WAIT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private enum State { NEW, RUNNING, STOPPING, TERMINATED }

  private final WorkerBroker broker;
  private final WorkerConfig config;
  private final BrokerHealth health;
  private final WorkerStats stats = new WorkerStats();
  private final Leases leases = new Leases();
  private final Dispatcher dispatcher;
  private final AcceptedOutcomes accepted;
  private final Reporter reporter;
  private final ScheduledExecutorService maintenanceThread;
  private final ScheduledExecutorService schedulesThread;
  private final ScheduledThreadPoolExecutor timeoutThread;
  private final JobRunner runner;
  private final FetchLoop fetchLoop;
  private final Thread fetchThread;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Runnable stopped; // tells the listener, once, after a started worker stopped
  private State state = State.NEW; // guarded by this
  private boolean outboxStarted; // guarded by this

  WorkerRuntime(WorkerBroker broker, WorkerConfig config, Runnable stopped) {
    this.broker = broker;
    this.config = config;
    this.stopped = stopped;
    this.health = new BrokerHealth(config.listener());
    this.dispatcher = new Dispatcher(config.concurrency());
    this.accepted = new AcceptedOutcomes(broker, config.lease().multipliedBy(2));
    this.reporter = new Reporter(broker, leases, health, stats, accepted, config);
    this.maintenanceThread = Executors.newSingleThreadScheduledExecutor(
        Dispatcher.daemonThreads("jobq-maintenance-"));
    this.schedulesThread = Executors.newSingleThreadScheduledExecutor(
        Dispatcher.daemonThreads("jobq-schedules-"));
    this.timeoutThread = new ScheduledThreadPoolExecutor(1, Dispatcher.daemonThreads("jobq-timeouts-"));
    timeoutThread.setRemoveOnCancelPolicy(true); // finished jobs must not pile up as dead timers
    FailurePolicy failures = new FailurePolicy(config.retryPolicy(), config.permanentTypes());
    this.runner = new JobRunner(config.handlers(), failures, reporter, dispatcher,
        timeoutThread, config);
    this.fetchLoop = new FetchLoop(broker, config, dispatcher, leases, runner, health);
    // Not a daemon: a worker started from main keeps the JVM alive until it is shut down.
    this.fetchThread = new Thread(fetchLoop, "jobq-fetch-" + config.name());
  }

  synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("worker " + config.name() + " was already started (" + state + ")");
    }
    log.info("worker {} starting: {}", config.name(), config);
    Maintenance maintenance = new Maintenance(broker, config, leases, dispatcher, health, stats,
        new Maintenance.WorkerInfoSource(host(), ProcessHandle.current().pid(), startedAt()),
        this::follow, accepted);
    claimName(maintenance);
    state = State.RUNNING;
    reporter.start();
    maintenance.schedule(maintenanceThread, schedulesThread);
    fetchThread.start();
  }

  /**
   * Claims and runs the ready jobs of the worker's queues on the calling thread, one at a time,
   * until none is ready or {@code max} ran; for a worker that is never started (queue-testing's inline and fake
   * modes). Returns how many attempts ran.
   */
  int runReadyJobs(int max) {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("worker " + config.name() + " is " + state
            + ": a started worker runs jobs on its own threads");
      }
      if (!outboxStarted) {
        reporter.start(); // a timed-out attempt is reported from the timer, through it
        outboxStarted = true;
      }
    }
    int ran = 0;
    for (boolean more = true; more && ran < max; ) {
      more = false;
      for (String queue : config.queueOrder().next(ThreadLocalRandom.current())) {
        if (ran >= max) {
          break;
        }
        for (Job job : broker.claim(queue, config.name(), 1, config.lease())) {
          JobRun run = new JobRun(job, broker);
          leases.add(run);
          runner.runHere(run);
          awaitOutcome(run);
          ran++;
          more = true;
        }
      }
    }
    return ran;
  }

  /**
   * Waits until the run's outcome reached the broker (or was dropped): a timed-out attempt is
   * reported from the timer thread, after the handler has returned here.
   */
  private void awaitOutcome(JobRun run) {
    long deadline = System.nanoTime() + config.lease().plus(JobRunner.ABANDON_AFTER).toNanos();
    while (leases.holds(run.job().queue(), run.id()) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * Refuses to start under the name of a live worker, or with settings Redis refuses (a wrong
   * password, a URL of the wrong kind): waiting would not help. Ends this worker if so. An
   * unreachable Redis is waited for.
   */
  private void claimName(Maintenance maintenance) {
    try {
      maintenance.claimName();
    } catch (WorkerNameTakenException | BrokerConfigurationException e) {
      state = State.TERMINATED;
      closeThreads();
      terminated.countDown();
      throw e;
    } catch (BrokerUnavailableException e) {
      // Redis is down at start: the fetch loop waits for it, and the heartbeat registers then
      log.warn("worker {}: could not check that no live worker has this name ({})",
          config.name(), e.getMessage());
    }
  }

  /** Follows an operator's orders, read with each heartbeat; repeated orders change nothing. */
  private void follow(WorkerControl orders) {
    if (orders.concurrency() != null && orders.concurrency() != dispatcher.maxRunning()) {
      log.info("worker {}: concurrency {} -> {}, as ordered", config.name(),
          dispatcher.maxRunning(), orders.concurrency());
      dispatcher.setMaxRunning(orders.concurrency());
    }
    if (orders.state() == WorkerControl.State.STOP) {
      synchronized (this) {
        if (state != State.RUNNING) {
          return;
        }
      }
      log.info("worker {}: told to stop; shutting down gracefully", config.name());
      // not on this thread: the shutdown stops the maintenance thread and waits for it
      new Thread(this::shutdown, "jobq-shutdown-" + config.name()).start();
    } else if (orders.state() != null
        && dispatcher.quiet(orders.state() == WorkerControl.State.QUIET)) {
      log.info("worker {}: {}, as ordered", config.name(), dispatcher.isQuiet()
          ? "quiet: claiming nothing more, " + dispatcher.busy() + " jobs still running"
          : "claiming jobs again");
    }
  }

  /** Stops fetching, waits for running jobs up to the grace, releases the rest, deregisters. */
  void shutdown() {
    synchronized (this) {
      if (state == State.NEW) {
        state = State.TERMINATED;
        closeThreads(); // runReadyJobs() may have started the timeout thread
        terminated.countDown();
        return;
      }
      if (state != State.RUNNING) {
        awaitQuietly();
        return;
      }
      state = State.STOPPING;
    }
    try {
      stopGracefully();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("worker {}: shutdown interrupted; remaining jobs return when their leases expire",
          config.name());
    } catch (Throwable t) {
      log.error("worker {}: shutdown failed; remaining jobs return when their leases expire",
          config.name(), t);
    } finally {
      closeThreads();
      log.info("worker {} stopped: {}", config.name(), stats);
      synchronized (this) {
        state = State.TERMINATED;
      }
      stopped.run(); // before the count-down: whoever awaited the stop sees the listener told
      terminated.countDown();
    }
  }

  private void stopGracefully() throws InterruptedException {
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    fetchLoop.stop();
    dispatcher.stop();
    fetchThread.interrupt();
    // Not a join: the fetch thread may sit in a blocking wait in Redis for up to IDLE_WAIT,
    // which interrupts do not cut short. Once no claim is under way it can take nothing more,
    // and every job it took is running (awaited below) or released.
    if (!fetchLoop.awaitNoClaim(System.nanoTime() + CLAIM_WAIT.toNanos())) {
      log.warn("worker {}: a claim still had no answer from Redis after {} ms; a job it took"
          + " returns to its queue when its lease expires", config.name(), CLAIM_WAIT.toMillis());
    }
    log.info("worker {} shutting down: no new jobs; waiting up to {} ms for {} running jobs",
        config.name(), config.shutdownGrace().toMillis(), dispatcher.busy());
    if (!dispatcher.awaitIdle(deadline, true)) {
      releaseRunning();
    }
    long drainDeadline = Math.max(deadline, System.nanoTime() + OUTBOX_DRAIN.toNanos());
    if (!reporter.drain(dispatcher.isHurried() ? System.nanoTime() : drainDeadline)) {
      log.warn("worker {}: {} results could not be delivered (Redis unreachable); those jobs"
          + " return to their queues when their leases expire", config.name(), reporter.pending());
    }
    // Leases and heartbeats end here; a heartbeat after the deregistration would bring the
    // worker back into the registry until its TTL ran out.
    schedulesThread.shutdownNow();
    maintenanceThread.shutdownNow();
    maintenanceThread.awaitTermination(CLAIM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      broker.removeWorker(config.name());
    } catch (RuntimeException e) {
      log.warn("worker {}: could not deregister ({}); its heartbeat expires within {} ms",
          config.name(), e.getMessage(), config.heartbeatTtl().toMillis());
    }
  }

  /** Grace over: interrupt what still runs; each handler that returns releases its own job. */
  private void releaseRunning() throws InterruptedException {
    List<JobRun> left = dispatcher.running();
    log.warn("worker {}: {}; interrupting and releasing {} running jobs", config.name(),
        dispatcher.isHurried() ? "told to stop now" : "shutdown grace is over", left.size());
    for (JobRun run : left) {
      if (run.decide(JobRun.Decision.RELEASING)) {
        run.interrupt();
      }
    }
    dispatcher.awaitIdle(System.nanoTime() + RELEASE_WAIT.toNanos(), false);
    for (JobRun run : dispatcher.running()) {
      // a cancelled job's report ends the lease it kept (nothing renews it from now on)
      JobRun.Decision d = run.decision();
      if ((d == JobRun.Decision.RELEASING || d == JobRun.Decision.CANCELLED) && run.claimReport()) {
        log.warn("job {}: handler ignores interrupts; {} while it still runs", run.id(),
            d == JobRun.Decision.CANCELLED ? "ending the cancelled job's lease" : "releasing the job");
        reporter.report(run, Outcome.release());
      }
    }
  }

  private void closeThreads() {
    schedulesThread.shutdownNow();
    maintenanceThread.shutdownNow();
    timeoutThread.shutdownNow();
    reporter.close();
    dispatcher.shutdownNow();
  }

  int heldJobs() {
    return leases.size();
  }

  int busyThreads() {
    return dispatcher.busy();
  }

  int concurrency() {
    return dispatcher.maxRunning();
  }

  long redisUnavailableNanos() {
    return health.downNanos();
  }

  int outboxSize() {
    return reporter.pending();
  }

  /** A second signal: skip the rest of the grace period, release now. */
  void hurry() {
    dispatcher.hurry();
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  private void awaitQuietly() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Instant startedAt() {
    try {
      return broker.now();
    } catch (RuntimeException e) {
      return Instant.now(); // Redis is down at start; the fetch loop waits for it
    }
  }

  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      String env = System.getenv("HOSTNAME");
      return env != null && !env.isBlank() ? env : "localhost";
    }
  }
}
