package dev.jobq.worker;

import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed attempts on the dispatcher's threads: finds the handler, runs it under a timeout,
 * and turns whatever happens (a result, an exception, even an {@link Error}) into an outcome.
 * Nothing a handler does can end the thread or leak its slot.
 */
final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  /** How long a timed-out handler may take to heed its interrupt before its slot is taken back. */
  static final Duration ABANDON_AFTER = Duration.ofSeconds(5);

  private final HandlerRegistry handlers;
  private final FailurePolicy failures;
  private final Reporter reporter;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService timer;
  private final Duration defaultTimeout;
  private final String workerName;
  private final WorkerListener listener;

  JobRunner(HandlerRegistry handlers, FailurePolicy failures, Reporter reporter,
      Dispatcher dispatcher, ScheduledExecutorService timer, WorkerConfig config) {
    this.handlers = handlers;
    this.failures = failures;
    this.reporter = reporter;
    this.dispatcher = dispatcher;
    this.timer = timer;
    this.defaultTimeout = config.defaultTimeout();
    this.workerName = config.name();
    this.listener = config.listener();
  }

  /** Starts the attempt on a thread of its own; the caller has added it to the leases. */
  void start(JobRun run) {
    dispatcher.execute(run, () -> run(run));
  }

  /** Runs the attempt on the calling thread (a worker that is never started). */
  void runHere(JobRun run) {
    run(run);
  }

  /** Hands an attempt that never started back to the broker, its attempt unspent. */
  void release(JobRun run) {
    reporter.report(run, Outcome.release());
  }

  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  private void run(JobRun run) {
    try (JobMdc mdc = JobMdc.of(run.job())) {
      attempt(run);
    } catch (Throwable t) {
      abort(run, t);
    } finally {
      dispatcher.finished(run);
    }
  }

  private void attempt(JobRun run) {
    Job job = run.job();
    log.info("job {} started (type {}, attempt {}/{})",
        job.id(), job.type(), job.attempt(), job.maxAttempts());
    Duration timeout = timeoutOf(job);
    Object result = null;
    String resultJson = null;
    Throwable error = null;
    run.attach(Thread.currentThread());
    listener.jobStarted(job.queue(), job.type(), run.waitMillis());
    run.timeoutTask(timer.schedule(() -> timedOut(run, timeout), timeout.toNanos(),
        TimeUnit.NANOSECONDS)); // should this throw, abort() detaches
    try {
      // middleware sees every attempt, one of an unknown type too
      result = handlers.run(run, () -> {
        JobHandler handler = handlers.find(job.type());
        if (handler == null) {
          throw new UnknownJobTypeException("no handler for job type '" + job.type()
              + "' on worker " + workerName + "; it knows " + handlers.types());
        }
        run.handler(handler);
        return handler.handle(run);
      });
      resultJson = Json.encode(result);
    } catch (Throwable t) {
      error = t;
    } finally {
      run.cancelTimeout();
      run.detach();
    }
    finish(run, result, resultJson, error);
  }

  /**
   * The job's own timeout, checked: one stored by a client that skipped {@link JobRequest}'s
   * checks would overflow the timer, and no attempt of it could ever run.
   */
  private Duration timeoutOf(Job job) {
    Duration t = job.timeout();
    if (t == null) {
      return defaultTimeout;
    }
    if (t.isNegative() || t.isZero() || t.compareTo(JobRequest.MAX_TIMEOUT) > 0) {
      throw new InvalidJobException("timeout_ms " + t.toMillis() + " is out of range 1.."
          + JobRequest.MAX_TIMEOUT.toMillis() + "; enqueue the job again with a timeout within"
          + " it");
    }
    return t;
  }

  /**
   * Something other than the handler broke the attempt: its set-up, or the worker building its
   * outcome. The attempt ends here, never left to a lease that the worker would renew for as
   * long as it lives: a job whose settings cannot be honoured fails for good, naming the value;
   * any other error is the worker's, and the job goes back to its queue, its attempt unspent.
   */
  private void abort(JobRun run, Throwable t) {
    try {
      run.cancelTimeout();
      run.detach();
      boolean badJob = t instanceof InvalidJobException;
      Outcome outcome = badJob
          ? Outcome.fail(t, FailurePolicy.failureOf(t), null)
          : Outcome.release();
      run.decide(JobRun.Decision.DONE);
      if (!run.claimReport()) {
        // the timer, a cancel or the shutdown ended the attempt already and reports it
        log.error("job {}: the worker failed on the attempt after it had ended", run.id(), t);
        return;
      }
      if (badJob) {
        log.error("job {} cannot run: {}; it fails for good", run.id(), t.getMessage());
      } else {
        log.error("job {}: the worker failed on the attempt; releasing the job", run.id(), t);
      }
      reporter.report(run, outcome);
    } catch (Throwable again) {
      log.error("job {}: the worker could not end the attempt; its lease is dropped, the reaper"
          + " will return the job", run.id(), again);
      reporter.forget(run);
    }
  }

  private void finish(JobRun run, Object result, String resultJson, Throwable error) {
    // built first: should this throw, the attempt is still undecided and abort() can end it
    Outcome outcome = error == null
        ? Outcome.complete(result, resultJson)
        : failures.outcomeOf(run.job(), error);
    if (run.decide(JobRun.Decision.DONE)) {
      run.claimReport();
      // the handler is done: its slot takes the next job while this thread reports the outcome
      dispatcher.handOver(run);
      reporter.report(run, outcome);
      return;
    }
    switch (run.decision()) {
      case RELEASING -> {
        if (run.claimReport()) {
          // A handler that finished its work despite the interrupt has a result worth keeping.
          reporter.report(run, error == null ? outcome : Outcome.release());
        }
      }
      // The timer reported the timeout when it fired, with the stack captured then.
      case TIMED_OUT -> log.warn("job {}: the handler returned {} ms after its start, after it"
          + " had timed out", run.id(), run.elapsedMillis());
      case CANCELLED -> {
        // Redis keeps a cancelled job's lease, and its slot under a running limit, until this
        // report: it drops the outcome and ends the lease. A release, should Redis have lost
        // the cancel, runs the job again rather than record a result the cancel may have cut.
        if (run.claimReport()) {
          log.info("job {}: the handler returned after the job was cancelled; ending its lease",
              run.id());
          reporter.report(run, Outcome.release());
        }
      }
      default -> log.info("job {}: the handler returned after its lease was lost; nothing to"
          + " report", run.id());
    }
  }

  /** The timeout error, its stack trace the handler's, where it was when time ran out. */
  private JobTimeoutException timeoutError(JobRun run, Duration timeout) {
    JobTimeoutException e = new JobTimeoutException("job " + run.id() + " (type " + run.type()
        + ") timed out after " + timeout.toMillis() + " ms on worker " + workerName
        + "; the handler was interrupted");
    e.setStackTrace(run.handlerStack());
    return e;
  }

  /** On the timer thread: the attempt failed now, whether or not the handler heeds the interrupt. */
  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  private void timedOut(JobRun run, Duration timeout) {
    if (!run.decide(JobRun.Decision.TIMED_OUT)) {
      return;
    }
    // The stack first, while the handler is still where it got stuck; and the report is this
    // thread's alone: the handler's thread, woken by the interrupt, must not build a second
    // timeout error, whose stack would be empty by then.
    JobTimeoutException e = timeoutError(run, timeout);
    listener.jobTimedOut(run.job().queue(), run.type());
    boolean report = run.claimReport();
    try (JobMdc mdc = JobMdc.of(run.job())) {
      log.warn("job {} timed out after {} ms: interrupting the handler", run.id(), timeout.toMillis());
    }
    run.interrupt();
    if (report) {
      reporter.reportLater(run, failures.outcomeOf(run.job(), e));
    }
    try {
      timer.schedule(() -> abandonIfStuck(run), ABANDON_AFTER.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // the worker is shutting down: its slots no longer matter
    }
  }

  /**
   * A handler deaf to interrupts keeps its thread, which Java cannot stop, but not its slot:
   * otherwise a few such jobs would leave the worker alive and idle forever.
   */
  @SuppressWarnings("try") // the resource only scopes the MDC
  private void abandonIfStuck(JobRun run) {
    if (!run.isAttached()) {
      return;
    }
    try (JobMdc mdc = JobMdc.of(run.job())) {
      log.error("job {}: the handler still runs {} ms after its timeout interrupted it; its thread"
          + " is abandoned and its slot goes to other jobs", run.id(), ABANDON_AFTER.toMillis());
    }
    dispatcher.finished(run);
  }
}
