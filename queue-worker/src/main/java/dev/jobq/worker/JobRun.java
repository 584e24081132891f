package dev.jobq.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed attempt, from claim until its outcome is delivered or dropped; also the handler's
 * {@link JobContext}.
 *
 * <p>Several threads may want to end an attempt at once: the handler returning, the timeout
 * timer, a cancel or lost lease seen by the lease renewal, the shutdown. The first to move
 * {@link #decide} away from RUNNING says what happened; {@link #claimReport} then makes sure
 * exactly one thread reports to the broker.
 *
 * <p>A job cancelled while it runs keeps its lease in Redis, and its slot under a running limit,
 * until its worker reports: the lease renewal interrupts the handler but goes on renewing (for a
 * bounded time, {@link #noticeCancel}), and the handler's thread reports when it returns.
 */
final class JobRun implements JobContext {
  enum Decision { RUNNING, DONE, TIMED_OUT, CANCELLED, LOST, RELEASING }

  private static final Logger log = LoggerFactory.getLogger(JobRun.class);

  private final Job job;
  private final WorkerBroker broker;
  private final long startNanos = System.nanoTime();
  private final AtomicReference<Decision> decision = new AtomicReference<>(Decision.RUNNING);
  private final AtomicBoolean reported = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean cancelSeen = new AtomicBoolean();
  private volatile long renewCancelledUntil; // System.nanoTime() bound, once noticed
  private volatile boolean leaseGone;
  private volatile boolean outcomeInDoubt;
  private Thread thread; // guarded by this: never interrupt a thread that moved on to other work
  private volatile Future<?> timeoutTask;
  private volatile JobHandler handler;
  private volatile long ranFromNanos; // 0 until the handler's thread attaches
  private volatile long ranUntilNanos; // 0 until it returns

  JobRun(Job job, WorkerBroker broker) {
    this.job = job;
    this.broker = broker;
  }

  @Override
  public Job job() {
    return job;
  }

  /** Queue and id: unique among the jobs this worker holds. */
  String key() {
    return key(job.queue(), job.id());
  }

  static String key(String queue, String id) {
    return queue + '\u0000' + id;
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** How long the handler ran, or has run so far; 0 if it never started. */
  long runNanos() {
    long from = ranFromNanos;
    if (from == 0) {
      return 0;
    }
    long until = ranUntilNanos;
    return (until != 0 ? until : System.nanoTime()) - from;
  }

  /** From when the job last became ready to its claim, in Redis's clock; -1 if unknown. */
  long waitMillis() {
    java.time.Instant ready = job.enqueuedAt() != null ? job.enqueuedAt() : job.createdAt();
    if (ready == null || job.startedAt() == null) {
      return -1;
    }
    return Math.max(0, job.startedAt().toEpochMilli() - ready.toEpochMilli());
  }

  Decision decision() {
    return decision.get();
  }

  /** Records why the attempt ended; false when something else already decided. */
  boolean decide(Decision d) {
    return decision.compareAndSet(Decision.RUNNING, d);
  }

  /** True for exactly one caller: the one that reports the outcome to the broker. */
  boolean claimReport() {
    return reported.compareAndSet(false, true);
  }

  /**
   * True for exactly one caller: the one that tells the listener how the attempt ended. An
   * abandoned handler (cancelled, lease lost) is counted when it is given up; its report when
   * it returns at last must not count the attempt again.
   */
  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  /** The lease is no longer ours (lost or cancelled): any outcome still waiting is dropped. */
  void markLeaseGone() {
    leaseGone = true;
  }

  boolean isLeaseGone() {
    return leaseGone;
  }

  /**
   * A lease renewal answered that the job was cancelled; true the first time only. Its lease is
   * renewed on while the handler may still run, but not past the job's own timeout, or for a job
   * without one, not longer than {@code otherwise} from now.
   */
  boolean noticeCancel(Duration otherwise) {
    if (!cancelSeen.compareAndSet(false, true)) {
      return false;
    }
    Duration t = job.timeout();
    // a timeout out of range fails the attempt's set-up (JobRunner); it must not overflow here
    boolean usable = t != null && !t.isNegative() && t.compareTo(JobRequest.MAX_TIMEOUT) <= 0;
    renewCancelledUntil = usable
        ? startNanos + t.toNanos()
        : System.nanoTime() + otherwise.toNanos();
    return true;
  }

  /** Whether Redis said that the job was cancelled while this attempt ran. */
  boolean wasCancelled() {
    return cancelSeen.get();
  }

  /** Whether the lease of this cancelled attempt is still to be renewed. */
  boolean renewsCancelled() {
    return System.nanoTime() - renewCancelledUntil < 0;
  }

  /** A report of this attempt's outcome failed on the way: Redis may or may not have it. */
  void markOutcomeInDoubt() {
    outcomeInDoubt = true;
  }

  boolean isOutcomeInDoubt() {
    return outcomeInDoubt;
  }

  /** The handler, once found: the callbacks need it. Null when the type is unknown. */
  JobHandler handler() {
    return handler;
  }

  void handler(JobHandler h) {
    this.handler = h;
  }

  void timeoutTask(Future<?> task) {
    this.timeoutTask = task;
  }

  void cancelTimeout() {
    Future<?> t = timeoutTask;
    if (t != null) {
      t.cancel(false);
    }
  }

  synchronized void attach(Thread t) {
    thread = t;
    ranFromNanos = System.nanoTime();
  }

  /** Called by the handler's thread when it returns; clears an interrupt that came too late. */
  synchronized void detach() {
    if (thread != null) {
      ranUntilNanos = System.nanoTime();
    }
    thread = null;
    Thread.interrupted();
  }

  /** True while the handler's thread has not returned. */
  synchronized boolean isAttached() {
    return thread != null;
  }

  synchronized void interrupt() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Where the handler is now: the most useful part of a timeout's error. */
  synchronized StackTraceElement[] handlerStack() {
    return thread == null ? new StackTraceElement[0] : thread.getStackTrace();
  }

  @Override
  public boolean isCancelled() {
    Decision d = decision.get();
    return d != Decision.RUNNING && d != Decision.DONE;
  }

  @Override
  public void progress(long done, long total, String message) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("done", done);
    p.put("total", total);
    p.put("message", message);
    try {
      if (!broker.progress(job.queue(), job.id(), job.token(), Json.encode(p))) {
        log.debug("progress of job {} refused: its lease is no longer this worker's", job.id());
      }
    } catch (RuntimeException e) {
      // Progress is advisory: a Redis hiccup must not fail the job that reports it.
      log.debug("progress of job {} not stored: {}", job.id(), e.toString());
    }
  }

  @Override
  public <T> T payload(Class<T> type) {
    try {
      return job.payloadAs(type);
    } catch (InvalidJobException | IllegalArgumentException e) {
      throw undecodable(type.getSimpleName(), e);
    }
  }

  @Override
  public JsonNode payloadTree() {
    try {
      return job.payloadTree();
    } catch (InvalidJobException | IllegalArgumentException e) {
      throw undecodable("JSON", e);
    }
  }

  private UndecodablePayloadException undecodable(String as, RuntimeException e) {
    return new UndecodablePayloadException("payload of job " + job.id() + " (type " + job.type()
        + ") cannot be decoded as " + as + ": " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return job.queue() + "/" + job.id() + " " + job.type() + " attempt " + job.attempt();
  }
}
