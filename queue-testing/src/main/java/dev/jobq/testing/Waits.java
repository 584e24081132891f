package dev.jobq.testing;

import dev.jobq.JobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The calls that block: an idle worker waiting for work (the wake-up marker, as BLPOP takes it)
 * and a reader waiting for events (as XREAD BLOCK does). Both wait on the store's condition,
 * which every marker and every event signals, up to a deadline in real time.
 */
final class Waits {
  private final Store store;

  Waits(Store store) {
    this.store = store;
  }

  boolean awaitWork(Collection<String> queues, Duration maxWait) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    store.lockInterruptibly();
    try {
      List<QueueState> qs = queues.stream().map(store::queue).toList();
      long now = store.now();
      long waitMs = maxWait.toMillis();
      // the next delayed job due, and the next start window a rate limit waits for
      boolean anyDue = false;
      for (QueueState q : qs) {
        Long due = q.delayed.firstScore();
        Long window = q.limitState.heldUntil;
        if (window != null && window > now) {
          due = due == null ? window : Math.min(due, window);
        }
        if (due != null) {
          waitMs = Math.min(waitMs, due - now);
          anyDue = true;
        }
      }
      if (waitMs <= 0) {
        return true;
      }
      for (long nanos = Store.nanos(waitMs); ; nanos = store.await(nanos)) {
        for (QueueState q : qs) {
          if (q.wakeMarker) {
            q.wakeMarker = false;
            return true;
          }
        }
        if (nanos <= 0) {
          return anyDue && waitMs < maxWait.toMillis();
        }
      }
    } finally {
      store.unlock();
    }
  }

  /** Pushes the marker again for those of the queues where jobs wait. */
  void wakeIdleWorkers(Collection<String> queues) {
    for (String queue : queues) {
      QueueState q = store.queue(queue);
      if (q.anyWaiting()) {
        q.wake();
      }
    }
  }

  List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    after.values().forEach(EventLog::parse);
    store.lockInterruptibly();
    try {
      for (long nanos = Store.nanos(Math.max(1, maxWait.toMillis())); ; nanos = store.await(nanos)) {
        List<JobEvent> events = new ArrayList<>();
        after.forEach((queue, position) -> events.addAll(store.queue(queue).events.after(position, max)));
        if (!events.isEmpty() || nanos <= 0) {
          return events;
        }
      }
    } finally {
      store.unlock();
    }
  }
}
