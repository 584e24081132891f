package dev.jobq.redis;

import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Worker heartbeats: a hash per worker that expires unless renewed, and an index of ids. */
final class WorkerRegistry {
  private final Connections redis;
  private final String prefix;

  WorkerRegistry(Connections redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  void register(WorkerInfo info, Duration ttl) {
    String key = Keys.worker(prefix, info.id());
    Map<String, String> h = toMap(info);
    redis.call(j -> {
      Pipeline p = j.pipelined();
      p.hset(key, h);
      p.pexpire(key, ttl.toMillis());
      p.zadd(Keys.workers(prefix), info.lastHeartbeat().toEpochMilli(), info.id());
      p.sync();
      return null;
    });
  }

  void remove(String workerId) {
    redis.call(j -> {
      Pipeline p = j.pipelined();
      p.del(Keys.worker(prefix, workerId));
      p.zrem(Keys.workers(prefix), workerId);
      p.sync();
      return null;
    });
  }

  /** The workers whose heartbeat hash lives; the index forgets the others as it meets them. */
  List<WorkerInfo> alive() {
    String index = Keys.workers(prefix);
    return redis.call(j -> {
      List<String> ids = j.zrange(index, 0, -1);
      Pipeline p = j.pipelined();
      List<Response<Map<String, String>>> hashes = new ArrayList<>();
      for (String id : ids) {
        hashes.add(p.hgetAll(Keys.worker(prefix, id)));
      }
      p.sync();
      List<WorkerInfo> alive = new ArrayList<>();
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        Map<String, String> h = hashes.get(i).get();
        if (h.isEmpty()) {
          gone.add(ids.get(i));
        } else {
          alive.add(fromMap(ids.get(i), h));
        }
      }
      if (!gone.isEmpty()) {
        j.zrem(index, gone.toArray(String[]::new));
      }
      return alive;
    });
  }

  private static Map<String, String> toMap(WorkerInfo w) {
    return Map.of(
        "host", w.host(),
        "pid", Long.toString(w.pid()),
        "queues", String.join(",", w.queues()),
        "concurrency", Integer.toString(w.concurrency()),
        "busy", Integer.toString(w.busy()),
        "processed", Long.toString(w.processed()),
        "failed", Long.toString(w.failed()),
        "started_at", Long.toString(w.startedAt().toEpochMilli()),
        "heartbeat_at", Long.toString(w.lastHeartbeat().toEpochMilli()));
  }

  private static WorkerInfo fromMap(String id, Map<String, String> h) {
    List<String> queues = h.getOrDefault("queues", "").isEmpty()
        ? List.of() : Arrays.asList(h.get("queues").split(","));
    return new WorkerInfo(id, h.getOrDefault("host", "?"), number(h, "pid"), queues,
        (int) number(h, "concurrency"), (int) number(h, "busy"), number(h, "processed"),
        number(h, "failed"), Instant.ofEpochMilli(number(h, "started_at")),
        Instant.ofEpochMilli(number(h, "heartbeat_at")));
  }

  private static long number(Map<String, String> h, String field) {
    try {
      return Long.parseLong(h.getOrDefault(field, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
