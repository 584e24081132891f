package dev.jobq.http;

import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where long-polling claims wait for work. Waiting on the broker holds a Redis connection (a
 * blocking pop on the queue's wake list), so one watcher thread per queue does it for every
 * request waiting on that queue, and wakes them all in process: a thousand waiting agents cost
 * one connection per queue, not one each, and the server's other requests still get theirs.
 * A watcher lives while requests wait on its queue; each request waits until its own deadline.
 */
final class ClaimWaiter {
  /** How long a watcher blocks on the broker before it looks whether anyone still waits. */
  static final Duration WATCH_SLICE = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(ClaimWaiter.class);

  private final WorkerBroker broker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allLeft = lock.newCondition();
  private final Map<String, Watch> watches = new HashMap<>();
  private boolean stopped;

  ClaimWaiter(WorkerBroker broker) {
    this.broker = broker;
  }

  /**
   * Joins the waiters of a queue. Join before looking for work, so that a wake-up that comes
   * between that look and {@link Waiter#awaitWake} is not missed.
   */
  Waiter join(String queue) {
    lock.lock();
    try {
      Watch watch = watches.get(queue);
      if (watch == null) {
        watch = new Watch(queue);
        watches.put(queue, watch);
        watch.thread.start();
      }
      watch.waiters++;
      return new Waiter(watch);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes every waiter for good and ends the watchers; later waits return at once. Returns when
   * every waiter has left (at most {@code grace}), so that the server stops after their answers.
   */
  void stop(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    lock.lock();
    try {
      stopped = true;
      watches.values().forEach(w -> {
        w.woken.signalAll();
        w.thread.interrupt();
      });
      for (long left = grace.toNanos(); waiters() > 0 && left > 0;
          left = deadline - System.nanoTime()) {
        allLeft.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many requests wait, and on how many queues (one watcher thread each): "24 on 1". */
  String waiting() {
    lock.lock();
    try {
      return waiters() + " on " + watches.size();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: a watch leaves the map only once its last waiter has left. */
  private int waiters() {
    return watches.values().stream().mapToInt(w -> w.waiters).sum();
  }

  /** One request's place among a queue's waiters; close it when the request stops waiting. */
  final class Waiter implements AutoCloseable {
    private final Watch watch;
    private long seen;

    private Waiter(Watch watch) {
      this.watch = watch;
      this.seen = watch.wakeups;
    }

    /**
     * Waits for a wake-up newer than the last one this waiter saw (the join, at first). A
     * wake-up is a hint: another worker may take the job, so look again and wait again.
     *
     * @return false when the deadline ({@link System#nanoTime()}) passed or the server stops
     */
    boolean awaitWake(long deadlineNanos) throws InterruptedException {
      lock.lock();
      try {
        while (watch.wakeups == seen && !stopped) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          watch.woken.awaitNanos(left);
        }
        seen = watch.wakeups;
        return !stopped;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        watch.waiters--; // the watcher notices within a slice and ends when none is left
        allLeft.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** A queue's watcher: waits on the broker, wakes the queue's waiters. */
  private final class Watch implements Runnable {
    private final String queue;
    private final Condition woken = lock.newCondition();
    private final Thread thread;
    private int waiters;
    private long wakeups;

    Watch(String queue) {
      this.queue = queue;
      this.thread = new Thread(this, "jobq-claim-waiter-" + queue);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      while (wanted()) {
        try {
          if (broker.awaitWork(List.of(queue), WATCH_SLICE)) {
            wakeAll();
          }
        } catch (InterruptedException e) {
          return; // stop(): the waiters were woken already
        } catch (RuntimeException e) {
          // Redis away: let the waiters claim, which answers them the error, and retry later
          log.warn("waiting for work on queue {} failed: {}", queue, e.toString());
          wakeAll();
          if (!pause()) {
            return;
          }
        }
      }
    }

    /** Whether anyone still waits; if not, leaves the map while holding the lock. */
    private boolean wanted() {
      lock.lock();
      try {
        if (waiters > 0 && !stopped) {
          return true;
        }
        if (waiters == 0) {
          watches.remove(queue, this); // when stopped with waiters, stop() counts them here
        }
        return false;
      } finally {
        lock.unlock();
      }
    }

    private void wakeAll() {
      lock.lock();
      try {
        wakeups++;
        woken.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Waits a slice before the next try after a failure; false when interrupted. */
    private boolean pause() {
      try {
        Thread.sleep(WATCH_SLICE.toMillis()); // a back-off, not a synchronisation
        return true;
      } catch (InterruptedException e) {
        return false;
      }
    }
  }
}
