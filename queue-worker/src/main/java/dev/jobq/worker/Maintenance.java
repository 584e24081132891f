package dev.jobq.worker;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.LeaseState;
import dev.jobq.spi.WorkerBroker;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work of a worker, on one scheduler thread: renew the leases of every held job
 * (one call per queue), write the heartbeat, reap expired leases of dead workers, fire the due
 * ticks of its queues' recurring jobs, delete finished jobs past their retention. Each task is
 * wrapped so that no exception escapes: a scheduled executor silently drops a task that throws.
 */
final class Maintenance {
  /** The most expired jobs one reaper pass returns per queue; the next pass takes the rest. */
  static final int REAP_LIMIT = 100;
  /** How often due recurring jobs are fired: a tick runs at most this late. */
  static final long SCHEDULES_EVERY_MS = 1_000;
  /** How often finished jobs past their retention are deleted, beyond what each completion does. */
  static final long EXPIRY_EVERY_MS = 60_000;
  /**
   * For how many leases a cancelled job without a timeout of its own keeps its lease renewed
   * while its handler ignores the interrupt: its slot under a running limit is not held for ever.
   */
  static final int CANCELLED_RENEWALS = 3;
  private static final Logger log = LoggerFactory.getLogger(Maintenance.class);

  private final WorkerBroker broker;
  private final WorkerConfig config;
  private final Leases leases;
  private final Dispatcher dispatcher;
  private final BrokerHealth health;
  private final WorkerStats stats;
  private final WorkerInfoSource info;
  private final Consumer<WorkerControl> orders;
  private final AcceptedOutcomes accepted;
  private boolean restartCheckFailed; // the maintenance thread's only

  /** What the heartbeat says about this process, fixed at start. */
  record WorkerInfoSource(String host, long pid, Instant startedAt) {}

  Maintenance(WorkerBroker broker, WorkerConfig config, Leases leases, Dispatcher dispatcher,
      BrokerHealth health, WorkerStats stats, WorkerInfoSource info,
      Consumer<WorkerControl> orders, AcceptedOutcomes accepted) {
    this.broker = broker;
    this.config = config;
    this.leases = leases;
    this.dispatcher = dispatcher;
    this.health = health;
    this.stats = stats;
    this.info = info;
    this.orders = orders;
    this.accepted = accepted;
  }

  /**
   * Schedules the periodic tasks; recurring jobs on a thread of their own, so that firing many
   * due ticks (after downtime, say) never delays a lease renewal.
   */
  void schedule(ScheduledExecutorService scheduler, ScheduledExecutorService recurring) {
    long every = config.heartbeatInterval().toMillis();
    scheduler.scheduleWithFixedDelay(guarded("heartbeat", this::heartbeat), 0, every, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(guarded("lease renewal", this::renewLeases), every, every,
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(guarded("reaper", this::reap), every / 2, every,
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(guarded("worker list", this::pruneWorkers), every, every,
        TimeUnit.MILLISECONDS);
    recurring.scheduleWithFixedDelay(guarded("recurring jobs", this::fireSchedules), 0,
        Math.min(every, SCHEDULES_EVERY_MS), TimeUnit.MILLISECONDS);
    recurring.scheduleWithFixedDelay(guarded("retention", this::expireFinished),
        EXPIRY_EVERY_MS, EXPIRY_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
        health.succeeded();
      } catch (BrokerUnavailableException e) {
        health.failed(name, e);
      } catch (Throwable t) {
        log.error("{} failed; it runs again in {} ms", name, config.heartbeatInterval().toMillis(), t);
      }
    };
  }

  void heartbeat() {
    checkRestart();
    long start = System.nanoTime();
    WorkerControl told = broker.registerWorker(workerInfo(), config.heartbeatTtl());
    config.listener().redisCalled(WorkerListener.RedisCall.HEARTBEAT, System.nanoTime() - start);
    this.orders.accept(told);
  }

  /**
   * The first heartbeat, refused while another live worker has this name: both would renew,
   * and release, the same jobs (a lease is the worker's name and the attempt's token).
   */
  void claimName() {
    broker.registerNewWorker(workerInfo(), config.heartbeatTtl()).ifPresent(holder -> {
      long silentMs = broker.now().toEpochMilli() - holder.lastHeartbeat().toEpochMilli();
      throw new WorkerNameTakenException("worker name '" + config.name() + "' is taken by a live"
          + " worker (host " + holder.host() + ", pid " + holder.pid() + ", last heartbeat "
          + silentMs + " ms ago): pick another name (--name) or stop that worker first");
    });
  }

  private WorkerInfo workerInfo() {
    return new WorkerInfo(config.name(), info.host(), info.pid(), config.queueOrder().queues(),
        dispatcher.maxRunning(), dispatcher.busy(), stats.processed.get(), stats.failed.get(),
        info.startedAt(), broker.now(), dispatcher.isQuiet() ? "quiet" : "running");
  }

  /** Dead workers leave the list even where nobody reads it (the list would only grow). */
  void pruneWorkers() {
    int n = broker.pruneWorkers(config.heartbeatTtl());
    if (n > 0) {
      log.debug("forgot {} workers whose heartbeats expired", n);
    }
  }

  /** Never keeps the heartbeat or the reaper from running, unless Redis is away. */
  private void checkRestart() {
    try {
      accepted.checkRestart();
    } catch (BrokerUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      if (!restartCheckFailed) {
        log.warn("cannot tell whether Redis restarted ({}): outcomes it loses in a restart are"
            + " not sent again", e.toString());
      }
      restartCheckFailed = true;
    }
  }

  void fireSchedules() {
    for (String queue : config.queueOrder().queues()) {
      broker.fireDueSchedules(queue);
    }
  }

  void renewLeases() {
    for (Map.Entry<String, List<JobRun>> e : leases.byQueue().entrySet()) {
      Map<String, JobRun> runs = new HashMap<>();
      Map<String, Long> tokens = new HashMap<>();
      for (JobRun run : e.getValue()) {
        runs.put(run.id(), run);
        tokens.put(run.id(), run.job().token());
      }
      long start = System.nanoTime();
      Map<String, LeaseState> states =
          broker.renewLeases(e.getKey(), config.name(), tokens, config.lease());
      config.listener().redisCalled(WorkerListener.RedisCall.RENEW_LEASES, System.nanoTime() - start);
      states.forEach((id, state) -> {
        JobRun run = runs.get(id);
        if (run == null || state == LeaseState.HELD || !leases.contains(run)) {
          return;
        }
        if (run.isOutcomeInDoubt()) {
          // Its outcome waits in the outbox after a report whose answer was lost: the job may
          // be finished by that very report. The outbox's next try finds out which.
          leases.stopRenewing(run);
          return;
        }
        if (state == LeaseState.CANCELLED) {
          cancelled(run);
        } else {
          leaseLost(run);
        }
      });
    }
  }

  /**
   * The job was cancelled while this attempt ran. Redis keeps its lease, and its slot under a
   * running limit, until this worker reports: so the handler is interrupted, the lease is renewed
   * while the handler still runs (bounded, {@link JobRun#noticeCancel}), and the handler's thread
   * reports when it returns (JobRunner), which ends the lease. Every renewal answers CANCELLED
   * again; only the first one interrupts.
   */
  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  private void cancelled(JobRun run) {
    try (JobMdc mdc = JobMdc.of(run.job())) {
      if (run.noticeCancel(config.lease().multipliedBy(CANCELLED_RENEWALS))) {
        boolean stillRunning = run.decide(JobRun.Decision.CANCELLED);
        log.info("job {} was cancelled while running: {}", run.id(), stillRunning
            ? "interrupting its handler; its lease is kept until the handler returns"
            : "the outcome on its way is dropped and ends its lease");
        if (stillRunning) {
          run.interrupt(); // after the log line, so that the handler's own reaction reads after it
        }
      }
      if (!run.renewsCancelled()) {
        // given up: the lease ends by itself, and the stuck thread's slot goes to other jobs
        run.markLeaseGone();
        leases.remove(run);
        dispatcher.finished(run);
        ended(run, WorkerListener.AttemptOutcome.CANCELLED);
        log.warn("job {} was cancelled, and {} ms after its start its handler has still not"
            + " returned; its lease is no longer renewed and ends within {} ms, and its thread"
            + " is abandoned", run.id(), run.elapsedMillis(), config.lease().toMillis());
      }
    }
  }

  /** The job is no longer ours: stop the handler, never report, drop any outcome still waiting. */
  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  private void leaseLost(JobRun run) {
    run.markLeaseGone();
    leases.remove(run);
    boolean stillRunning = run.decide(JobRun.Decision.LOST);
    stats.lost.incrementAndGet();
    ended(run, WorkerListener.AttemptOutcome.STALLED);
    try (JobMdc mdc = JobMdc.of(run.job())) {
      log.warn("job {}: lease lost (it expired, and the job may already run elsewhere){}; this"
          + " worker will not report its outcome", run.id(),
          stillRunning ? ", interrupting its handler" : "");
    }
    if (stillRunning) {
      run.interrupt(); // after the log line, so that the handler's own reaction reads after it
    }
  }

  private void ended(JobRun run, WorkerListener.AttemptOutcome outcome) {
    if (run.markEnded()) {
      config.listener().jobEnded(run.job().queue(), run.type(), outcome, run.runNanos());
    }
  }

  void expireFinished() {
    for (String queue : config.queueOrder().queues()) {
      broker.expireFinished(queue);
    }
  }

  void reap() {
    // first: a Redis back from an older snapshot holds jobs this worker finished, ACTIVE again
    // under its tokens, which the reaper would take for abandoned
    checkRestart();
    for (String queue : config.queueOrder().queues()) {
      int n = broker.reapExpired(queue, config.retryPolicy(), REAP_LIMIT);
      if (n > 0) {
        log.info("reaped {} jobs of queue {} whose leases expired (their workers died or stalled)",
            n, queue);
      }
    }
  }
}
