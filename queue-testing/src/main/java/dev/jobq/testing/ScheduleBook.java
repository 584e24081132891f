package dev.jobq.testing;

import dev.jobq.Backoff;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import dev.jobq.Schedule;
import dev.jobq.spi.DueTick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recurring jobs as the Redis broker keeps them: each queue's definitions by name and their
 * next ticks; a due schedule fires the job of its latest tick and moves on in the same step as
 * the enqueue, so each tick fires once.
 */
final class ScheduleBook {
  private static final Logger log = LoggerFactory.getLogger(ScheduleBook.class);
  /** The most due schedules one pass fires per queue; the next pass takes the rest. */
  private static final int FIRE_LIMIT = 100;

  private final Store store;
  private final Enqueues enqueues;
  /** The tick each failing schedule was last reported for (queue/name to due ms). */
  private final Map<String, Long> reported = new HashMap<>();

  ScheduleBook(Store store, Enqueues enqueues) {
    this.store = store;
    this.enqueues = enqueues;
  }

  /** Adds or replaces a schedule; its first tick is the first after now. */
  void put(Schedule s) {
    QueueState q = store.queue(s.queue());
    long next = s.nextAfter(Instant.ofEpochMilli(store.now())).toEpochMilli();
    q.schedules.put(s.name(), stored(s));
    q.scheduleNext.add(s.name(), next);
  }

  boolean remove(String queue, String name) {
    QueueState q = store.queue(queue);
    q.scheduleNext.remove(name);
    q.scheduleLast.remove(name);
    return q.schedules.remove(name) != null;
  }

  List<Schedule.Planned> list(String queue) {
    QueueState q = store.queue(queue);
    List<Schedule.Planned> out = new ArrayList<>();
    q.schedules.forEach((name, s) -> {
      Long tick = q.scheduleNext.score(name);
      out.add(new Schedule.Planned(s, tick == null ? null : Instant.ofEpochMilli(tick),
          q.scheduleLast.get(name)));
    });
    return out;
  }

  int fireDue(String queue) {
    QueueState q = store.queue(queue);
    long now = store.now();
    int fired = 0;
    for (Map.Entry<String, Long> due : q.scheduleNext.upToWithScores(now, FIRE_LIMIT)) {
      String name = due.getKey();
      Schedule s = q.schedules.get(name);
      if (s == null) {
        q.scheduleNext.remove(name); // removed meanwhile
        continue;
      }
      try {
        fired += fire(s, due.getValue(), now) ? 1 : 0;
      } catch (BrokerUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // tried again every second: said once per tick, not every time
        if (!due.getValue().equals(reported.put(queue + "/" + name, due.getValue()))) {
          log.error("queue {}: schedule '{}' cannot fire ({}); it stays due", queue, name,
              e.getMessage());
        }
      }
    }
    return fired;
  }

  private boolean fire(Schedule s, long dueAt, long now) {
    DueTick tick = DueTick.of(s, dueAt, now);
    Optional<EnqueueResult> r = enqueues.enqueueTick(s.jobFor(tick.at()),
        new EnqueueBatch.Tick(s.name(), false, dueAt, tick.next().toEpochMilli()), now);
    return r.isPresent();
  }

  /** The schedule's job enqueued now, named as a tick at this instant; empty without one. */
  Optional<EnqueueResult> trigger(String queue, String name) {
    Schedule s = store.queue(queue).schedules.get(name);
    if (s == null) {
      return Optional.empty();
    }
    // one instant: the job's name and the time recorded
    long now = store.now();
    return enqueues.enqueueTick(s.jobFor(Instant.ofEpochMilli(now)), EnqueueBatch.Tick.byHand(name),
        now);
  }

  /**
   * The schedule as the Redis broker reads it back from its stored definition: the job keeps
   * its type, payload, priority, attempts, backoff, timeout, headers and escalation, and
   * nothing else (no delay, no run-at).
   */
  private static Schedule stored(Schedule s) {
    JobRequest job = s.job();
    JobRequest.Builder b = JobRequest.builder(job.type()).queue(job.queue())
        .payload(job.payload()).priority(job.priority()).maxAttempts(job.maxAttempts())
        .backoff(job.backoff() == null ? null : Backoff.parse(job.backoff().spec()))
        .escalateTo(job.escalation());
    if (job.timeout() != null) {
      b.timeout(java.time.Duration.ofMillis(job.timeout().toMillis()));
    }
    job.headers().forEach(b::header);
    return new Schedule(s.name(), s.cron(), s.zone(), s.every() == null ? null
        : java.time.Duration.ofMillis(s.every().toMillis()), b.build());
  }
}
