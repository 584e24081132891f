package dev.jobq.redis;

import dev.jobq.Latency;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Reads one queue's {@link QueueStats} in one pipelined round trip. */
final class QueueFigures {
  private static final int RATE_SLOTS = 120;

  private QueueFigures() {}

  static QueueStats read(Jedis jedis, Keys k, long now) {
    Pipeline p = jedis.pipelined();
    Response<List<String>> meta = p.hmget(k.meta(), "paused", "max_depth");
    List<Response<Long>> waiting = new ArrayList<>();
    List<Response<String>> heads = new ArrayList<>();
    for (Priority pri : Priority.values()) {
      waiting.add(p.llen(k.waiting(pri.level())));
      heads.add(p.lindex(k.waiting(pri.level()), 0));
    }
    Response<Long> delayed = p.zcard(k.delayed());
    Response<Long> active = p.zcard(k.active());
    Response<Long> failed = p.zcard(k.failed());
    Response<Long> completed = p.zcard(k.completed());
    Response<Long> cancelled = p.zcard(k.cancelled());
    Response<Long> blocked = p.zcard(k.blocked());
    Response<Map<String, String>> counters = p.hgetAll(k.stats());
    Response<Map<String, String>> rate = p.hgetAll(k.rate());
    Response<List<String>> waitSamples = p.lrange(k.waitSamples(), 0, -1);
    Response<List<String>> runSamples = p.lrange(k.runSamples(), 0, -1);
    Response<Map<String, String>> limits = p.hgetAll(k.limits());
    Response<Map<String, String>> limitState = p.hgetAll(k.limitState());
    Pipelines.syncChecked(p);

    Map<Priority, Long> byPriority = new EnumMap<>(Priority.class);
    for (Priority pri : Priority.values()) {
      byPriority.put(pri, waiting.get(pri.level()).get());
    }
    Map<String, String> c = counters.get();
    Rate r = new Rate(rate.get(), now);
    double completed15 = r.sum('c', 15);
    double failed15 = r.sum('f', 15);
    return new QueueStats(
        k.queue,
        "1".equals(meta.get().get(0)),
        byPriority,
        delayed.get(),
        active.get(),
        failed.get(),
        completed.get(),
        cancelled.get(),
        blocked.get(),
        counter(c, "enqueued"),
        counter(c, "completed"),
        counter(c, "failed"),
        counter(c, "dead"),
        counter(c, "orphans"),
        counter(c, "retried"),
        counter(c, "cancelled"),
        counter(c, "stalled"),
        counter(c, "released"),
        Math.round(r.lastMinute('c')),
        Math.round(r.sum('c', 59)),
        r.perMinute('c', 1),
        r.perMinute('c', 5),
        r.perMinute('c', 15),
        completed15 + failed15 == 0 ? 0.0 : failed15 / (completed15 + failed15),
        latency(waitSamples.get()),
        latency(runSamples.get()),
        oldestWaiting(jedis, k, heads, now),
        meta.get().get(1) == null ? 0 : Long.parseLong(meta.get().get(1)),
        Limits.heldBack(limits.get(), limitState.get(), now));
  }

  private static long counter(Map<String, String> c, String name) {
    return Long.parseLong(c.getOrDefault(name, "0"));
  }

  /**
   * The longest any head of a wait list has been ready: a second round trip, for at most one job
   * per priority, and only when something waits. A head that vanished meanwhile, or cannot be
   * read, counts as not waiting: the figure is a gauge, not a check.
   */
  private static Duration oldestWaiting(
      Jedis jedis, Keys k, List<Response<String>> heads, long now) {
    List<byte[]> ids = new ArrayList<>();
    for (Response<String> head : heads) {
      if (head.get() != null) {
        ids.add(head.get().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (ids.isEmpty()) {
      return Duration.ZERO;
    }
    long oldest = now;
    for (byte[] packed : jedis.hmget(k.jobsBytes(), ids.toArray(byte[][]::new))) {
      oldest = Math.min(oldest, readySince(packed, now));
    }
    return Duration.ofMillis(now - oldest);
  }

  /** When a job became ready, as claim.lua measures its wait: enqueued_at, else created_at. */
  private static long readySince(byte[] packed, long now) {
    if (packed == null) {
      return now;
    }
    try {
      Map<String, String> h = MessagePack.readMap(packed);
      String ready = h.getOrDefault("enqueued_at", h.get("created_at"));
      return ready == null ? now : Long.parseLong(ready);
    } catch (RuntimeException e) {
      return now;
    }
  }

  static Latency latency(List<String> samples) {
    return Latency.ofMillis(samples.stream().mapToLong(Long::parseLong).toArray());
  }

  /** The per-minute ring the scripts write: t/c/f fields per slot, a slot per minute. */
  private record Rate(Map<String, String> ring, long now) {
    long minute() {
      return now / 60_000;
    }

    /** The fraction of the current minute that has passed. */
    double elapsed() {
      return (now % 60_000) / 60_000.0;
    }

    long count(char field, long minute) {
      long slot = Math.floorMod(minute, RATE_SLOTS);
      if (!String.valueOf(minute).equals(ring.get("t" + slot))) {
        return 0;
      }
      return Long.parseLong(ring.getOrDefault(field + "" + slot, "0"));
    }

    /** The current minute so far and the {@code minutes} whole minutes before it. */
    double sum(char field, int minutes) {
      long total = 0;
      for (long m = minute() - minutes; m <= minute(); m++) {
        total += count(field, m);
      }
      return total;
    }

    /** Per minute over the last {@code minutes} whole minutes plus the current partial one. */
    double perMinute(char field, int minutes) {
      return sum(field, minutes) / (minutes + elapsed());
    }

    /** The last 60 seconds: this minute so far and the unelapsed share of the previous one. */
    double lastMinute(char field) {
      return count(field, minute()) + count(field, minute() - 1) * (1 - elapsed());
    }
  }
}
