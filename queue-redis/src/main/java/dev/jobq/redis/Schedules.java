package dev.jobq.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.Schedule;
import dev.jobq.internal.Json;
import dev.jobq.spi.DueTick;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;

/**
 * Recurring jobs: each queue keeps its schedules' definitions in a hash and their next ticks in
 * a sorted set. Firing is two-phase: the next tick is computed here from the definition, and
 * the enqueue script takes the tick only if the schedule is still due at the tick read (a
 * compare-and-set), enqueueing its job in the same call: many workers firing at once enqueue
 * each tick once, and a worker that dies half-way leaves the tick due for the next. The same
 * call records the firing as the schedule's last (a third key, by name), as does a trigger.
 */
final class Schedules {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  /** The most due schedules one pass fires per queue; the next pass takes the rest. */
  private static final int FIRE_LIMIT = 100;

  private final Queues queues;
  private final Connections redis;
  private final Enqueuer enqueuer;
  /** The tick each failing schedule was last reported for (queue/name to due ms). */
  private final Map<String, Long> reported = new java.util.concurrent.ConcurrentHashMap<>();

  Schedules(Queues queues, Enqueuer enqueuer) {
    this.queues = queues;
    this.redis = queues.redis;
    this.enqueuer = enqueuer;
  }

  /** Adds or replaces a schedule; its first tick is the first after now. */
  void put(Schedule s) {
    queues.remember(s.queue());
    Keys k = queues.keys(s.queue());
    long next = s.nextAfter(Instant.ofEpochMilli(queues.now())).toEpochMilli();
    String json = toJson(s);
    redis.call(k.base, j -> {
      Transaction t = j.multi();
      t.hset(k.schedules(), s.name(), json);
      t.zadd(k.scheduleNext(), next, s.name());
      Pipelines.execChecked(t);
      return null;
    });
  }

  boolean remove(String queue, String name) {
    Keys k = queues.keys(queue);
    return redis.call(k.base, j -> {
      Transaction t = j.multi();
      var removed = t.hdel(k.schedules(), name);
      t.zrem(k.scheduleNext(), name);
      t.hdel(k.scheduleLast(), name);
      Pipelines.execChecked(t);
      return removed.get() == 1;
    });
  }

  List<Schedule.Planned> list(String queue) {
    Keys k = queues.keys(queue);
    Map<String, String> defs = redis.call(k.base, j -> j.hgetAll(k.schedules()));
    Map<String, Double> next = new LinkedHashMap<>();
    for (Tuple t : redis.call(k.base, j -> j.zrangeWithScores(k.scheduleNext(), 0, -1))) {
      next.put(t.getElement(), t.getScore());
    }
    Map<String, String> last = redis.call(k.base, j -> j.hgetAll(k.scheduleLast()));
    List<Schedule.Planned> out = new ArrayList<>();
    defs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Double tick = next.get(e.getKey());
      out.add(new Schedule.Planned(fromJson(queue, e.getValue()),
          tick == null ? null : Instant.ofEpochMilli(tick.longValue()),
          lastTick(queue, e.getKey(), last.get(e.getKey()))));
    });
    return out;
  }

  /** The schedule's job enqueued now, named as a tick at this instant; empty without one. */
  Optional<dev.jobq.EnqueueResult> trigger(String queue, String name) {
    Keys k = queues.keys(queue);
    String json = redis.call(k.base, j -> j.hget(k.schedules(), name));
    if (json == null) {
      return Optional.empty();
    }
    // enqueue.lua enqueues only if the schedule is still there as read: a removal or a
    // replacement meanwhile wins
    return enqueuer.enqueueTrigger(fromJson(queue, json), json);
  }

  /**
   * A last firing as enqueue.lua records it, or null for none. A field this broker cannot read
   * (written by hand, or by another version) is logged and shown as none, so that one bad field
   * does not hide every schedule of the queue.
   */
  private static Schedule.LastTick lastTick(String queue, String name, String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode n = Json.tree(json);
      return new Schedule.LastTick(Instant.ofEpochMilli(n.get("at").asLong()),
          n.get("job").asText(), n.get("created").asBoolean(), n.get("triggered").asBoolean());
    } catch (RuntimeException e) {
      log.warn("queue {}: schedule '{}' has a last firing in schedule_last that cannot be read"
          + " ({}), shown as none until its next firing replaces it: {}", queue, name, e.toString(),
          json);
      return null;
    }
  }

  /** Fires the schedules of a queue that are due; returns how many jobs this call enqueued. */
  int fireDue(String queue) {
    Keys k = queues.keys(queue);
    long now = queues.now();
    List<Tuple> due = redis.call(k.base, j -> j.zrangeByScoreWithScores(k.scheduleNext(),
        Double.NEGATIVE_INFINITY, now, 0, FIRE_LIMIT));
    int fired = 0;
    for (Tuple t : due) {
      String name = t.getElement();
      long dueAt = (long) t.getScore();
      String json = redis.call(k.base, j -> j.hget(k.schedules(), name));
      if (json == null) {
        redis.call(k.base, j -> j.zrem(k.scheduleNext(), name)); // removed meanwhile
        continue;
      }
      try {
        fired += fire(fromJson(queue, json), dueAt, now) ? 1 : 0;
      } catch (dev.jobq.BrokerUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // tried again every second: said once per tick, not every time
        if (!Long.valueOf(dueAt).equals(reported.put(queue + "/" + name, dueAt))) {
          log.error("queue {}: schedule '{}' cannot fire ({}); it stays due", queue, name,
              e.getMessage());
        }
      }
    }
    return fired;
  }

  private boolean fire(Schedule s, long dueAt, long now) {
    DueTick tick = DueTick.of(s, dueAt, now);
    Optional<dev.jobq.EnqueueResult> r =
        enqueuer.enqueueTick(s.jobFor(tick.at()), s.name(), dueAt, tick.next().toEpochMilli());
    r.ifPresent(e -> log.info("queue {}: schedule '{}' fired job {} for {}", s.queue(), s.name(),
        e.jobId(), Instant.ofEpochMilli(dueAt)));
    return r.isPresent();
  }

  private static String toJson(Schedule s) {
    JobRequest job = s.job();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("cron", s.cron());
    m.put("zone", s.zone() == null ? null : s.zone().getId());
    m.put("everyMs", s.every() == null ? null : s.every().toMillis());
    m.put("type", job.type());
    m.put("payload", job.payload());
    m.put("priority", job.priority().level());
    m.put("maxAttempts", job.maxAttempts());
    m.put("backoff", job.backoff() == null ? null : job.backoff().spec());
    m.put("timeoutMs", job.timeout() == null ? null : job.timeout().toMillis());
    m.put("headers", job.headers());
    m.put("escalation", job.escalation());
    return Json.encode(m);
  }

  private static Schedule fromJson(String queue, String json) {
    JsonNode n = Json.tree(json);
    JobRequest.Builder job = JobRequest.builder(n.get("type").asText()).queue(queue)
        .payload(n.get("payload").asText())
        .priority(Priority.ofLevel(n.get("priority").asInt()))
        .maxAttempts(n.get("maxAttempts").asInt());
    if (!n.path("backoff").isNull() && n.has("backoff")) {
      job.backoff(Backoff.parse(n.get("backoff").asText()));
    }
    if (!n.path("timeoutMs").isNull() && n.has("timeoutMs")) {
      job.timeout(Duration.ofMillis(n.get("timeoutMs").asLong()));
    }
    n.path("headers").fields().forEachRemaining(h -> job.header(h.getKey(), h.getValue().asText()));
    if (n.hasNonNull("escalation")) {
      job.escalateTo(Json.decode(n.get("escalation").toString(), dev.jobq.Escalation.class));
    }
    return n.path("cron").isNull() || !n.has("cron")
        ? new Schedule(nameOf(n), null, null, Duration.ofMillis(n.get("everyMs").asLong()), job.build())
        : new Schedule(nameOf(n), n.get("cron").asText(), ZoneId.of(n.get("zone").asText()), null,
            job.build());
  }

  private static String nameOf(JsonNode n) {
    return n.get("name").asText();
  }
}
