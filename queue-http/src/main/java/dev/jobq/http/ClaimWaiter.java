package dev.jobq.http;

import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where long-polling claims wait for work. Waiting on the broker holds a Redis connection (a
 * blocking pop on the wake lists), so one watcher thread waits on every queue that has waiting
 * claims and wakes them all in process: long-polling costs one Redis connection in total, and
 * the server's other requests still get theirs. Each waiting claim still holds a server thread,
 * so at most {@value #MAX_WAITERS} wait at once; past that a claim answers at once. The watcher
 * lives while claims wait; each claim waits until its own deadline.
 */
final class ClaimWaiter {
  /** How many claims may wait at once: each holds one of the server's threads. */
  static final int MAX_WAITERS = 100;
  /**
   * How long the watcher blocks on the broker before it looks again who waits, on what: the
   * most a queue that gets its first waiting claim while others wait may wait to be watched.
   * Short, since an idle watcher's blocking pops cost Redis next to nothing.
   */
  static final Duration WATCH_SLICE = Duration.ofMillis(200);
  /** How long the watcher pauses after the broker failed, before it waits again. */
  private static final Duration OUTAGE_BACKOFF = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(ClaimWaiter.class);

  private final WorkerBroker broker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private final Condition allLeft = lock.newCondition();
  /** Per queue, how many claims wait on it; a queue leaves when its last claim leaves. */
  private final Map<String, Integer> waiting = new HashMap<>();
  private int waiters;
  private long wakeups;
  private Watcher watcher;
  private boolean stopped;

  ClaimWaiter(WorkerBroker broker) {
    this.broker = broker;
  }

  /**
   * Joins the waiters of a queue, or empty when {@value #MAX_WAITERS} claims wait already. Join
   * before looking for work, so that a wake-up that comes between that look and
   * {@link Waiter#awaitWake} is not missed.
   */
  Optional<Waiter> join(String queue) {
    lock.lock();
    try {
      if (waiters >= MAX_WAITERS) {
        return Optional.empty();
      }
      if (watcher == null && !stopped) {
        watcher = new Watcher();
        watcher.thread.start();
      }
      waiting.merge(queue, 1, Integer::sum);
      waiters++;
      return Optional.of(new Waiter(queue, watcher));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes every waiter for good and ends the watcher; later waits return at once. Returns when
   * every waiter has left (at most {@code grace}), so that the server stops after their answers.
   */
  void stop(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    lock.lock();
    try {
      stopped = true;
      woken.signalAll();
      if (watcher != null) {
        watcher.thread.interrupt();
      }
      for (long left = grace.toNanos(); waiters > 0 && left > 0;
          left = deadline - System.nanoTime()) {
        allLeft.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many requests wait, and on how many queues: "24 on 1". */
  String waiting() {
    lock.lock();
    try {
      return waiters + " on " + waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: wakes every waiter, as the broker does not tell which queue woke. */
  private void wakeAll() {
    wakeups++;
    woken.signalAll();
  }

  /** One request's place among the waiters; close it when the request stops waiting. */
  final class Waiter implements AutoCloseable {
    private final String queue;
    private final Watcher watchedBy;
    private long seen;

    private Waiter(String queue, Watcher watchedBy) {
      this.queue = queue;
      this.watchedBy = watchedBy;
      this.seen = wakeups;
    }

    /**
     * Waits for a wake-up newer than the last one this waiter saw (the join, at first). A
     * wake-up is a hint: another worker may take the job, so look again and wait again.
     *
     * @return false when the deadline ({@link System#nanoTime()}) passed, the server stops, or
     *     the watcher ended unexpectedly (the claim answers, and the agent claims again)
     */
    boolean awaitWake(long deadlineNanos) throws InterruptedException {
      lock.lock();
      try {
        while (wakeups == seen && watching()) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          woken.awaitNanos(left);
        }
        seen = wakeups;
        return watching();
      } finally {
        lock.unlock();
      }
    }

    private boolean watching() {
      return !stopped && watcher == watchedBy;
    }

    @Override
    public void close() {
      lock.lock();
      try {
        waiting.computeIfPresent(queue, (q, n) -> n == 1 ? null : n - 1);
        waiters--; // the watcher notices within a slice, and ends when none is left
        allLeft.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * The one watcher: waits on the broker for the queues that have waiters, wakes them all. A
   * queue that gets its first waiter joins the wait at the next slice; its wake-up marker stays
   * in Redis until popped, so a job enqueued meanwhile still wakes it (a slice late at most).
   */
  private final class Watcher implements Runnable {
    private final Thread thread = new Thread(this, "jobq-claim-waiter");

    Watcher() {
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      try {
        for (List<String> queues = queues(); !queues.isEmpty(); queues = queues()) {
          watch(queues);
        }
      } catch (InterruptedException e) {
        // stop(): the waiters were woken already
      } finally {
        leave();
      }
    }

    private void watch(List<String> queues) throws InterruptedException {
      try {
        if (broker.awaitWork(queues, WATCH_SLICE)) {
          wake();
        }
      } catch (RuntimeException e) {
        if (isStopped()) {
          return; // the server stopped and closed the broker under the watcher's blocking pop
        }
        // Redis away: let the waiters claim, which answers them the error, and retry later
        log.warn("waiting for work on queues {} failed: {}", queues, e.toString());
        wake();
        Thread.sleep(OUTAGE_BACKOFF.toMillis()); // a back-off, not a synchronisation
      }
    }

    /**
     * The queues that have waiters now; none when stopped, and then, under the same lock, the
     * watcher is no longer registered, so that a join from now on starts another.
     */
    private boolean isStopped() {
      lock.lock();
      try {
        return stopped;
      } finally {
        lock.unlock();
      }
    }

    private List<String> queues() {
      lock.lock();
      try {
        if (!stopped && !waiting.isEmpty()) {
          return List.copyOf(waiting.keySet());
        }
        watcher = null;
        return List.of();
      } finally {
        lock.unlock();
      }
    }

    private void wake() {
      lock.lock();
      try {
        wakeAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * When the watcher ends other than by "no one waits" (an Error, a stray interrupt), it is no
     * longer the watcher: the next join starts another, and the waiters it leaves are woken to
     * answer (their agents claim again).
     */
    private void leave() {
      lock.lock();
      try {
        if (watcher == this) {
          watcher = null;
          wakeAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
