package dev.jobq.testing;

import dev.jobq.Latency;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** A queue's {@link QueueStats}, each figure computed as the Redis broker's QueueFigures does. */
final class Figures {
  private Figures() {}

  static QueueStats of(QueueState q, long now) {
    Map<Priority, Long> byPriority = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      byPriority.put(p, (long) q.waiting(p.level()).size());
    }
    RateRing r = q.rate;
    double completed15 = r.sum(now, 'c', 15);
    double failed15 = r.sum(now, 'f', 15);
    return new QueueStats(
        q.name,
        q.paused,
        byPriority,
        q.delayed.size(),
        q.active.size(),
        q.failed.size(),
        q.completed.size(),
        q.cancelled.size(),
        q.blocked.size(),
        q.counter("enqueued"),
        q.counter("completed"),
        q.counter("failed"),
        q.counter("dead"),
        q.counter("orphans"),
        q.counter("retried"),
        q.counter("cancelled"),
        q.counter("stalled"),
        q.counter("released"),
        Math.round(r.lastMinute(now, 'c')),
        Math.round(r.sum(now, 'c', 59)),
        r.perMinute(now, 'c', 1),
        r.perMinute(now, 'c', 5),
        r.perMinute(now, 'c', 15),
        completed15 + failed15 == 0 ? 0.0 : failed15 / (completed15 + failed15),
        latency(q.waitMs),
        latency(q.runMs),
        oldestWaiting(q, now),
        q.maxDepth,
        Limits.heldBack(q, now));
  }

  /** As QueueFigures: the head of each priority's list, ready since enqueued_at or creation. */
  private static Duration oldestWaiting(QueueState q, long now) {
    long oldest = now;
    for (Priority p : Priority.values()) {
      String head = q.waiting(p.level()).peekFirst();
      MemJob job = head == null ? null : q.job(head);
      if (job != null) {
        oldest = Math.min(oldest, job.enqueuedAt != null ? job.enqueuedAt : job.createdAt);
      }
    }
    return Duration.ofMillis(now - oldest);
  }

  static Latency latency(Collection<Long> samples) {
    return Latency.ofMillis(samples.stream().mapToLong(Long::longValue).toArray());
  }
}
