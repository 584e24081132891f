package dev.jobq.worker;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobHandler;
import dev.jobq.JobStatus;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.WorkerBroker;
import java.util.Objects;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outcomes to the broker, then runs the handler's callbacks. When Redis is unreachable
 * the outcome waits in a local outbox, retried by one thread with capped backoff, while the
 * lease renewal keeps the job ours; if the lease is lost meanwhile, the outcome is dropped as
 * stale, because the job belongs to another worker now.
 */
final class Reporter {
  /** Tries for an outcome that fails with something other than an outage (a bug, a Redis error). */
  private static final int MAX_UNEXPECTED_TRIES = 5;
  private static final Logger log = LoggerFactory.getLogger(Reporter.class);

  private record Pending(JobRun run, Outcome outcome, int unexpectedTries) {}

  /** What a refused call leaves to do: nothing (the outcome stands in Redis), or drop it. */
  private enum Refusal { RECORDED_BEFORE, STALE }

  private final WorkerBroker broker;
  private final Leases leases;
  private final BrokerHealth health;
  private final WorkerStats stats;
  private final WorkerListener listener;
  private final Completions completions;
  private final AcceptedOutcomes accepted;
  private final BlockingDeque<Pending> outbox = new LinkedBlockingDeque<>();
  private final Object drained = new Object();
  private int pending; // guarded by drained: parked outcomes not yet delivered or dropped
  private final Thread thread;

  Reporter(WorkerBroker broker, Leases leases, BrokerHealth health, WorkerStats stats,
      AcceptedOutcomes accepted, WorkerConfig config) {
    this.broker = broker;
    this.accepted = accepted;
    this.leases = leases;
    this.health = health;
    this.stats = stats;
    this.listener = config.listener();
    this.completions = new Completions(broker, listener);
    this.thread = new Thread(this::runOutbox, "jobq-outbox-" + config.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Delivers now on the calling thread, or parks the outcome in the outbox. */
  void report(JobRun run, Outcome outcome) {
    Pending p = new Pending(run, outcome, 0);
    Pending again = tryDeliver(p);
    if (again != null) {
      park(again);
    }
  }

  /** Parks the outcome for the outbox thread: for callers that must not block on Redis. */
  void reportLater(JobRun run, Outcome outcome) {
    park(new Pending(run, outcome, 0));
  }

  /** The attempt can be neither reported nor released: its lease is left to expire. */
  void forget(JobRun run) {
    leases.remove(run);
  }

  private void park(Pending p) {
    synchronized (drained) {
      pending++;
    }
    outbox.addLast(p);
  }

  /** Null when done with (delivered or dropped), else what to try again. */
  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  private Pending tryDeliver(Pending p) {
    JobRun run = p.run();
    try (JobMdc mdc = JobMdc.of(run.job())) {
      if (run.isLeaseGone()) {
        dropStale(run, p.outcome(), "its lease was lost while the outcome waited");
        return null;
      }
      try {
        deliver(run, p.outcome());
        leases.remove(run);
        health.succeeded();
        return null;
      } catch (BrokerUnavailableException e) {
        health.failed("reporting job " + run.id(), e);
        // The call may have reached Redis and only its answer been lost: a refusal later can
        // mean this very outcome is recorded already.
        run.markOutcomeInDoubt();
        keepLease(run);
        return p;
      } catch (Throwable e) {
        // an Error too: a report that throws must never leave its lease renewed for ever
        if (p.unexpectedTries() + 1 >= MAX_UNEXPECTED_TRIES) {
          log.error("giving up on reporting job {} after {} tries; its lease will expire and the"
              + " reaper will return it", run.id(), MAX_UNEXPECTED_TRIES, e);
          leases.remove(run);
          return null;
        }
        log.warn("reporting job {} failed, will retry: {}", run.id(), e.toString());
        keepLease(run);
        return new Pending(run, p.outcome(), p.unexpectedTries() + 1);
      }
    }
  }

  /** The outcome waits: its lease must go on being renewed, unless it was lost meanwhile. */
  private void keepLease(JobRun run) {
    if (!run.isLeaseGone()) {
      leases.add(run);
    }
  }

  private void deliver(JobRun run, Outcome o) {
    Job job = run.job();
    // Out of the renewal set before the call: a renewal racing with it would see the job
    // finished and report a lease loss that never happened.
    leases.stopRenewing(run);
    switch (o.kind()) {
      case COMPLETE -> {
        boolean ok = completions.complete(job, o.resultJson());
        if (!ok && refused(run, o) == Refusal.STALE) {
          return;
        }
        accepted.add(job, o);
        stats.processed.incrementAndGet();
        ended(run, WorkerListener.AttemptOutcome.COMPLETED);
        log.info("job {} completed in {} ms (attempt {}/{})",
            job.id(), run.elapsedMillis(), job.attempt(), job.maxAttempts());
        JobHandler h = run.handler();
        callback("onSuccess", run, () -> h.onSuccess(run, o.result()));
      }
      case FAIL -> {
        long start = System.nanoTime();
        FailOutcome f = broker.fail(job.queue(), job.id(), job.token(), o.failure(), o.retryDelay());
        listener.redisCalled(WorkerListener.RedisCall.FAIL, System.nanoTime() - start);
        if (f == FailOutcome.STALE) {
          if (refused(run, o) == Refusal.STALE) {
            return;
          }
          Job now = broker.get(job.queue(), job.id()).orElse(null);
          f = now == null || now.status() == JobStatus.DELAYED || now.status() == JobStatus.WAITING
              ? FailOutcome.RETRY_SCHEDULED
              : now.escalatedTo() != null ? FailOutcome.ESCALATED : FailOutcome.DEAD_LETTERED;
        }
        accepted.add(job, o);
        failed(run, o, f);
      }
      case RELEASE -> {
        long start = System.nanoTime();
        boolean ok = broker.release(job.queue(), job.id(), job.token());
        listener.redisCalled(WorkerListener.RedisCall.RELEASE, System.nanoTime() - start);
        if (!ok && refused(run, o) == Refusal.STALE) {
          return;
        }
        accepted.add(job, o);
        stats.released.incrementAndGet();
        ended(run, WorkerListener.AttemptOutcome.RELEASED);
        log.info("job {} released back to queue {} after {} ms, its attempt not spent",
            job.id(), job.queue(), run.elapsedMillis());
      }
    }
  }

  /**
   * The broker refused the outcome. Usually the lease is another's now and the outcome is
   * dropped; but after a try whose answer was lost (Redis went away mid-call) the refusal may
   * only mean that the first try took effect: the job then shows this attempt's token in the
   * state this outcome leads to, and the outcome counts as delivered. For a job cancelled while
   * it ran, the refusal is expected: it ended the lease the job kept.
   */
  private Refusal refused(JobRun run, Outcome o) {
    if (run.isOutcomeInDoubt() && recordedBefore(run.job(), o)) {
      log.info("job {}: the {} of an earlier try reached Redis before it went away; it stands",
          run.id(), o.kind().name().toLowerCase(java.util.Locale.ROOT));
      return Refusal.RECORDED_BEFORE;
    }
    if (run.wasCancelled()) {
      leases.remove(run);
      ended(run, WorkerListener.AttemptOutcome.CANCELLED);
      log.info("job {} was cancelled while it ran: its {} is dropped and its lease has ended",
          run.id(), o.kind().name().toLowerCase(java.util.Locale.ROOT));
      return Refusal.STALE;
    }
    dropStale(run, o, "the broker refused its lease token");
    return Refusal.STALE;
  }

  private boolean recordedBefore(Job job, Outcome o) {
    Job now = broker.get(job.queue(), job.id()).orElse(null);
    if (now == null || now.token() != job.token()) {
      return false; // gone, or claimed again since
    }
    return switch (o.kind()) {
      case COMPLETE -> now.status() == JobStatus.COMPLETED;
      // the reaper fails attempts with this token too, but never with this error
      case FAIL -> (now.status() == JobStatus.FAILED || now.status() == JobStatus.DELAYED
          || now.status() == JobStatus.WAITING || now.escalatedTo() != null)
          && o.failure().errorClass().equals(now.errorClass())
          && Objects.equals(o.failure().message(), now.error());
      case RELEASE -> now.status() == JobStatus.WAITING && now.attempt() == job.attempt() - 1;
    };
  }

  private void failed(JobRun run, Outcome o, FailOutcome outcome) {
    Job job = run.job();
    boolean willRetry = outcome == FailOutcome.RETRY_SCHEDULED;
    stats.processed.incrementAndGet();
    stats.failed.incrementAndGet();
    ended(run, willRetry ? WorkerListener.AttemptOutcome.RETRIED
        : outcome == FailOutcome.ESCALATED ? WorkerListener.AttemptOutcome.ESCALATED
        : WorkerListener.AttemptOutcome.DEAD_LETTERED);
    String why = o.failure().errorClass() + ": " + o.failure().message();
    if (willRetry) {
      log.warn("job {} attempt {}/{} failed after {} ms, retry in {} ms: {}", job.id(),
          job.attempt(), job.maxAttempts(), run.elapsedMillis(), o.retryDelay().toMillis(), why);
    } else if (outcome == FailOutcome.ESCALATED) {
      log.warn("job {} escalated after attempt {}/{} ({} ms): {}", job.id(), job.attempt(),
          job.maxAttempts(), run.elapsedMillis(), why);
    } else {
      log.error("job {} dead-lettered after attempt {}/{} ({} ms): {}", job.id(), job.attempt(),
          job.maxAttempts(), run.elapsedMillis(), why);
    }
    JobHandler h = run.handler();
    callback("onFailure", run, () -> h.onFailure(run, o.error(), willRetry));
    if (outcome == FailOutcome.DEAD_LETTERED) {
      callback("onDeadLetter", run, () -> h.onDeadLetter(run, o.error()));
    }
  }

  private void dropStale(JobRun run, Outcome o, String why) {
    leases.remove(run);
    if (!run.isLeaseGone()) {
      stats.lost.incrementAndGet(); // else the lease renewal has counted it already
      ended(run, WorkerListener.AttemptOutcome.STALLED);
    }
    log.warn("job {}: {} dropped, {}; the job belongs to a newer attempt now",
        run.id(), o.kind().name().toLowerCase(java.util.Locale.ROOT), why);
  }

  private void ended(JobRun run, WorkerListener.AttemptOutcome outcome) {
    if (run.markEnded()) {
      listener.jobEnded(run.job().queue(), run.type(), outcome, run.runNanos());
    }
  }

  /** Runs a callback; what it throws is logged and never changes the recorded outcome. */
  private static void callback(String name, JobRun run, Runnable callback) {
    if (run.handler() == null) {
      return;
    }
    try {
      callback.run();
    } catch (Throwable t) {
      log.warn("{} callback of job {} threw; the recorded outcome stands", name, run.id(), t);
    }
  }

  private void runOutbox() {
    BrokerHealth.Pause pause = new BrokerHealth.Pause();
    while (true) {
      try {
        Pending p = outbox.takeFirst();
        Pending again = tryDeliver(p);
        if (again == null) {
          done();
          pause.reset();
        } else {
          outbox.addFirst(again);
          pause.sleep();
        }
      } catch (InterruptedException e) {
        return; // close(): whatever is left waits for its lease to expire
      } catch (Throwable t) {
        log.error("outbox thread caught an unexpected error; it carries on", t);
      }
    }
  }

  private void done() {
    synchronized (drained) {
      pending--;
      drained.notifyAll();
    }
  }

  /** Waits until every parked outcome is delivered or dropped, or the deadline; true if so. */
  boolean drain(long deadlineNanos) throws InterruptedException {
    synchronized (drained) {
      while (pending > 0) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(drained, left);
      }
      return true;
    }
  }

  int pending() {
    synchronized (drained) {
      return pending;
    }
  }

  void close() {
    thread.interrupt();
  }
}
