package dev.jobq.redis;

import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/** Worker heartbeats: a hash per worker that expires unless renewed, and an index of ids. */
final class WorkerRegistry {
  private static final String ORDER_STATE = "order_state";
  private static final String ORDER_CONCURRENCY = "order_concurrency";

  private final Connections redis;
  private final String prefix;

  WorkerRegistry(Connections redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Writes the heartbeat and, in the same round trip, reads the orders left in it. */
  WorkerControl register(WorkerInfo info, Duration ttl) {
    String key = Keys.worker(prefix, info.id());
    Map<String, String> h = toMap(info);
    List<String> orders = redis.call(j -> {
      Pipeline p = j.pipelined();
      Response<List<String>> read = p.hmget(key, "started_at", ORDER_STATE, ORDER_CONCURRENCY);
      p.hset(key, h);
      p.pexpire(key, ttl.toMillis());
      p.zadd(Keys.workers(prefix), info.lastHeartbeat().toEpochMilli(), info.id());
      p.sync();
      return read.get();
    });
    String startedBefore = orders.get(0);
    if (startedBefore != null && !startedBefore.equals(h.get("started_at"))) {
      // another process under the same name (restarted within the TTL): its orders are not ours
      redis.call(j -> j.hdel(key, ORDER_STATE, ORDER_CONCURRENCY));
      return WorkerControl.NONE;
    }
    return orders(orders.get(1), orders.get(2));
  }

  /**
   * Orders live in the worker's own heartbeat hash, so they end with it. Written only while the
   * hash exists (WATCH): a worker that died meanwhile must not come back as a hash without TTL.
   */
  boolean control(String workerId, WorkerControl orders) {
    String key = Keys.worker(prefix, workerId);
    Map<String, String> fields = new LinkedHashMap<>();
    if (orders.state() != null) {
      fields.put(ORDER_STATE, orders.state().name());
    }
    if (orders.concurrency() != null) {
      fields.put(ORDER_CONCURRENCY, orders.concurrency().toString());
    }
    return redis.call(j -> {
      for (int attempt = 0; attempt < 3; attempt++) {
        j.watch(key);
        if (!j.exists(key)) {
          j.unwatch();
          return false;
        }
        if (fields.isEmpty()) {
          j.unwatch();
          return true;
        }
        Transaction t = j.multi();
        t.hset(key, fields);
        if (t.exec() != null) {
          return true;
        }
      }
      return false;
    });
  }

  private static WorkerControl orders(String state, String concurrency) {
    WorkerControl.State s = null;
    Integer n = null;
    try {
      s = state == null ? null : WorkerControl.State.valueOf(state);
      n = concurrency == null ? null : Integer.valueOf(concurrency);
      return new WorkerControl(s, n);
    } catch (RuntimeException e) {
      // written by hand into nonsense: follow what can be read
      return new WorkerControl(s, null);
    }
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
        "heartbeat_at", Long.toString(w.lastHeartbeat().toEpochMilli()),
        "state", w.state());
  }

  private static WorkerInfo fromMap(String id, Map<String, String> h) {
    List<String> queues = h.getOrDefault("queues", "").isEmpty()
        ? List.of() : Arrays.asList(h.get("queues").split(","));
    return new WorkerInfo(id, h.getOrDefault("host", "?"), number(h, "pid"), queues,
        (int) number(h, "concurrency"), (int) number(h, "busy"), number(h, "processed"),
        number(h, "failed"), Instant.ofEpochMilli(number(h, "started_at")),
        Instant.ofEpochMilli(number(h, "heartbeat_at")), h.getOrDefault("state", "running"));
  }

  private static long number(Map<String, String> h, String field) {
    try {
      return Long.parseLong(h.getOrDefault(field, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
