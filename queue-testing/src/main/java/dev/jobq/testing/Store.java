package dev.jobq.testing;

import dev.jobq.BrokerUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What every part of the in-memory broker shares: the queues, the one lock that makes each
 * call one atomic step (as one Lua script is in Redis), the condition that idle workers and
 * event readers wait on, the clock and the retention settings.
 */
final class Store {
  /** How long finished jobs are kept, as RedisConfig has it. */
  record Retention(long completedMs, long cancelledMs, long failedMs, long maxKept) {
    static Retention of(Duration completed, Duration cancelled, Duration failed, long maxKept) {
      if (failed == null || failed.isNegative()) {
        throw new IllegalArgumentException("failed retention must be zero (kept until retried"
            + " or purged) or positive, got " + failed);
      }
      if (maxKept < 1) {
        throw new IllegalArgumentException("finished jobs kept must be at least 1, got " + maxKept);
      }
      return new Retention(positive("completed retention", completed),
          positive("cancelled retention", cancelled), failed.toMillis(), maxKept);
    }

    private static long positive(String what, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d.toMillis();
    }
  }

  final Clock clock;
  final Retention retention;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, QueueState> queues = new HashMap<>();
  /** Every queue ever enqueued to ({@code P:queues}): the ones that are not are not listed. */
  private final Set<String> known = new TreeSet<>();
  private boolean closed;

  Store(Clock clock, Retention retention) {
    this.clock = clock;
    this.retention = retention;
  }

  long now() {
    return clock.millis();
  }

  /** The queue's state, made empty on first use (a Redis queue's keys are there or not). */
  QueueState queue(String name) {
    return queues.computeIfAbsent(name, q -> new QueueState(q, this));
  }

  void remember(String queue) {
    known.add(queue);
  }

  Set<String> known() {
    return new TreeSet<>(known);
  }

  /** Runs one call under the lock; refused once the broker is closed, as a closed pool is. */
  <T> T locked(Supplier<T> call) {
    lock.lock();
    try {
      checkOpen();
      return call.get();
    } finally {
      lock.unlock();
    }
  }

  void locked(Runnable call) {
    locked(() -> {
      call.run();
      return null;
    });
  }

  void lockInterruptibly() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      checkOpen();
    } catch (RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  void unlock() {
    lock.unlock();
  }

  /** Wakes every waiter (idle workers, event readers) to look again: a marker or an event came. */
  void signal() {
    changed.signalAll();
  }

  /**
   * Waits, holding the lock, for a signal or until {@code nanos} pass; answers the time left.
   * Throws once the broker is closed meanwhile.
   */
  long await(long nanos) throws InterruptedException {
    long left = changed.awaitNanos(nanos);
    checkOpen();
    return left;
  }

  static long nanos(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new BrokerUnavailableException("the in-memory broker is closed", null);
    }
  }
}
