package dev.jobq.redis;

import dev.jobq.JobEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The lifecycle events of each queue's jobs, a capped stream the scripts write (lib.lua's
 * emit()): where it ends, its newest entries, blocking reads after given positions, and how
 * many entries it keeps.
 */
final class EventLog {
  /** How much earlier than asked {@link #positionBefore} starts. */
  static final Duration EARLY = Duration.ofSeconds(1);

  private final Queues queues;
  /**
   * Event readers (await, listen, watch) block in Redis holding a pooled connection each; at
   * most half the pool does, so that many waiting callers cannot starve the other calls.
   */
  private final Semaphore readers;

  EventLog(Queues queues) {
    this.queues = queues;
    this.readers = new Semaphore(Math.max(1, queues.config.poolSize() / 2));
  }

  String tail(String queue) {
    Keys k = queues.keys(queue);
    List<StreamEntry> last = queues.redis.call(k.base, j -> j.xrevrange(k.events(), "+", "-", 1));
    return last.isEmpty() ? "0-0" : last.get(0).getID().toString();
  }

  /** The newest {@code max} events, oldest first. */
  List<JobEvent> recent(String queue, int max) {
    Keys k = queues.keys(queue);
    List<StreamEntry> newest =
        queues.redis.call(k.base, j -> j.xrevrange(k.events(), "+", "-", max));
    List<JobEvent> events = new ArrayList<>(newest.size());
    for (int i = newest.size() - 1; i >= 0; i--) {
      events.add(EventEntries.toEvent(queue, newest.get(i)));
    }
    return events;
  }

  /** Up to {@code max} events after a position (not included), oldest first. */
  List<JobEvent> after(String queue, String position, int max) {
    if (max <= 0) {
      return List.of();
    }
    Keys k = queues.keys(queue);
    StreamEntryID from = new StreamEntryID(position);
    String start = from.getTime() + "-" + (from.getSequence() + 1);
    List<StreamEntry> read = queues.redis.call(k.base, j -> j.xrange(k.events(), start, "+", max));
    List<JobEvent> events = new ArrayList<>(read.size());
    for (StreamEntry e : read) {
      events.add(EventEntries.toEvent(queue, e));
    }
    return events;
  }

  /** Up to {@code max} events before a position (not included; "+" for the end), newest first. */
  List<JobEvent> before(String queue, String position, int max) {
    if (max <= 0) {
      return List.of();
    }
    Keys k = queues.keys(queue);
    // "(" makes XREVRANGE's end exclusive (Redis 6.2)
    String end = "+".equals(position) ? "+" : "(" + new StreamEntryID(position);
    List<StreamEntry> read = queues.redis.call(k.base, j -> j.xrevrange(k.events(), end, "-", max));
    List<JobEvent> events = new ArrayList<>(read.size());
    for (StreamEntry e : read) {
      events.add(EventEntries.toEvent(queue, e));
    }
    return events;
  }

  /**
   * Redis numbers entries by its own clock and an event's {@code at} is the broker's: the
   * newest entry tells how far apart they are (nothing, unless the broker's clock is a test's),
   * and {@link #EARLY} more covers brokers whose readings of Redis's clock differ a little.
   */
  String positionBefore(String queue, Instant since) {
    Keys k = queues.keys(queue);
    List<StreamEntry> last = queues.redis.call(k.base, j -> j.xrevrange(k.events(), "+", "-", 1));
    if (last.isEmpty()) {
      return "0-0";
    }
    StreamEntry newest = last.get(0);
    long apart = newest.getID().getTime() - EventEntries.toEvent(queue, newest).at().toEpochMilli();
    long ms = since.toEpochMilli() + apart - EARLY.toMillis();
    return ms <= 0 ? "0-0" : ms + "-0";
  }

  List<JobEvent> read(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Map<String, String> byKey = new LinkedHashMap<>();
    Map<String, String> queueOfKey = new LinkedHashMap<>();
    after.forEach((queue, position) -> {
      byKey.put(queues.keys(queue).events(), position);
      queueOfKey.put(queues.keys(queue).events(), queue);
    });
    // a reader that finds no free reading connection within its wait sees no event, and its
    // caller reads the job itself, as it does when a wait passes quietly
    if (!readers.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
      return List.of();
    }
    List<Map.Entry<String, List<StreamEntry>>> read;
    try {
      read = queues.redis.blockingRead(byKey, max, maxWait.toMillis());
    } finally {
      readers.release();
    }
    List<JobEvent> events = new ArrayList<>();
    if (read != null) {
      for (Map.Entry<String, List<StreamEntry>> stream : read) {
        String queue = queueOfKey.get(stream.getKey());
        for (StreamEntry e : stream.getValue()) {
          events.add(EventEntries.toEvent(queue, e));
        }
      }
    }
    return events;
  }

  void setKept(String queue, long kept) {
    if (kept < 0) {
      throw new IllegalArgumentException("events kept is negative: " + kept + "; use 0 for none");
    }
    queues.remember(queue);
    Keys k = queues.keys(queue);
    queues.redis.call(k.base, j -> j.hset(k.meta(), "events_kept", Long.toString(kept)));
  }
}
