package dev.jobq.worker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running handlers and the free slots, after OkHttp's Dispatcher: the set is guarded by this
 * object's monitor, which is never held while user code or a broker call runs. The executor is
 * unbounded; the slot count is what bounds concurrency.
 */
final class Dispatcher {
  private int maxRunning; // guarded by this, changed by an operator's order
  private final ExecutorService executor;
  private final Set<JobRun> running = new LinkedHashSet<>();
  /** Attempts whose handler returned and whose outcome is being reported: they hold no slot. */
  private final Set<JobRun> reporting = new LinkedHashSet<>();
  private boolean stopped;
  private boolean quiet;
  private boolean hurried;

  Dispatcher(int maxRunning) {
    this.maxRunning = maxRunning;
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("jobq-job-"));
  }

  /**
   * Blocks until at least one slot is free, and returns how many are; returns 0 once {@link
   * #stop()} was called, so that a stopping fetch loop is never stuck here.
   */
  synchronized int awaitFreeSlots() throws InterruptedException {
    while (running.size() >= slots() && !stopped) {
      wait();
    }
    return stopped ? 0 : slots() - running.size();
  }

  /** While quiet, no slot is free: running jobs finish, nothing new starts. */
  private int slots() {
    return quiet ? 0 : maxRunning;
  }

  /** Quiet (claim nothing more) or not; true when this changed it. */
  synchronized boolean quiet(boolean on) {
    boolean changed = quiet != on;
    quiet = on;
    notifyAll();
    return changed;
  }

  /** A slot is free now: the fetch loop could claim. */
  synchronized boolean hasFreeSlot() {
    return !stopped && running.size() < slots();
  }

  synchronized boolean isQuiet() {
    return quiet;
  }

  /** Runs up to {@code n} jobs at once from now on; those running over it finish first. */
  synchronized void setMaxRunning(int n) {
    maxRunning = n;
    notifyAll();
  }

  synchronized int maxRunning() {
    return maxRunning;
  }

  /**
   * Like {@link #awaitFreeSlots()}, then waits on up to {@code lingerNanos} more for {@code
   * enough} free slots; returns how many are free then (0 once stopped).
   */
  synchronized int awaitFreeSlots(int enough, long lingerNanos) throws InterruptedException {
    int free = awaitFreeSlots();
    long deadline = System.nanoTime() + lingerNanos;
    while (free > 0 && free < enough) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
      free = stopped ? 0 : Math.max(0, slots() - running.size());
    }
    return free;
  }

  /** Starts a task for a claimed attempt. Never blocks: the fetch loop claimed only free slots. */
  void execute(JobRun run, Runnable task) {
    synchronized (this) {
      running.add(run);
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      finished(run);
      throw e;
    }
  }

  /**
   * The handler returned and its thread now reports the outcome: the slot is free for the next
   * job, while {@link #awaitIdle} still waits for the report, so a shutdown cannot overtake it.
   */
  synchronized void handOver(JobRun run) {
    if (running.remove(run)) {
      reporting.add(run);
      notifyAll();
    }
  }

  void finished(JobRun run) {
    synchronized (this) {
      running.remove(run);
      reporting.remove(run);
      notifyAll();
    }
  }

  /** No slot is handed out any more. */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  /** Ends the current and every later {@link #awaitIdle} at once (a second SIGTERM). */
  synchronized void hurry() {
    hurried = true;
    notifyAll();
  }

  synchronized boolean isHurried() {
    return hurried;
  }

  /**
   * Waits until no handler runs and no outcome is being reported, or the deadline passes (or,
   * if {@code hurryEnds}, {@link #hurry()} is called); true when idle.
   */
  synchronized boolean awaitIdle(long deadlineNanos, boolean hurryEnds)
      throws InterruptedException {
    while (!isIdle() && !(hurryEnds && hurried)) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return isIdle();
  }

  private boolean isIdle() {
    return running.isEmpty() && reporting.isEmpty();
  }

  synchronized List<JobRun> running() {
    return new ArrayList<>(running);
  }

  synchronized int busy() {
    return running.size();
  }

  /** Interrupts handlers that still run after everything else stopped. */
  void shutdownNow() {
    executor.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
