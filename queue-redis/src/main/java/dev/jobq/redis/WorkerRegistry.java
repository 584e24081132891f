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
import java.util.Optional;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/** Worker heartbeats: a hash per worker that expires unless renewed, and an index of ids. */
final class WorkerRegistry {
  private static final String ORDER_STATE = "order_state";
  private static final String ORDER_CONCURRENCY = "order_concurrency";
  /** The heartbeat's TTL, from which the others judge when it is overdue. */
  private static final String TTL_MS = "ttl_ms";

  private final Connections redis;
  private final String prefix;

  WorkerRegistry(Connections redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Writes the heartbeat and, in the same round trip, reads the orders left in it. */
  WorkerControl register(WorkerInfo info, Duration ttl) {
    String key = Keys.worker(prefix, info.id());
    Map<String, String> h = toMap(info, ttl);
    List<String> orders = redis.call(j -> {
      Pipeline p = j.pipelined();
      Response<List<String>> read = p.hmget(key, "started_at", ORDER_STATE, ORDER_CONCURRENCY);
      p.hset(key, h);
      p.pexpire(key, ttl.toMillis());
      p.zadd(Keys.workers(prefix), info.lastHeartbeat().toEpochMilli(), info.id());
      Pipelines.syncChecked(p);
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
   * The first heartbeat, unless a live worker holds the id: WATCH makes the check and the write
   * one step, so that a rival writing between them voids this write and is seen on the next
   * turn. A holder whose heartbeat is overdue by two intervals is dead, its hash merely not yet
   * expired.
   */
  Optional<WorkerInfo> registerNew(WorkerInfo info, Duration ttl) {
    String key = Keys.worker(prefix, info.id());
    long now = info.lastHeartbeat().toEpochMilli();
    return redis.call(j -> {
      while (true) {
        j.watch(key);
        Map<String, String> held = j.hgetAll(key);
        if (!held.isEmpty() && !overdue(held, now, ttl)) {
          j.unwatch();
          return Optional.of(fromMap(info.id(), held));
        }
        Transaction t = j.multi();
        t.del(key); // a dead holder's orders are not ours
        t.hset(key, toMap(info, ttl));
        t.pexpire(key, ttl.toMillis());
        t.zadd(Keys.workers(prefix), now, info.id());
        if (Pipelines.execChecked(t) != null) {
          return Optional.<WorkerInfo>empty();
        }
      }
    });
  }

  /** Two heartbeat intervals (a third of the TTL each) have passed without one. */
  private static boolean overdue(Map<String, String> held, long now, Duration ourTtl) {
    long ttl = number(held, TTL_MS) > 0 ? number(held, TTL_MS) : ourTtl.toMillis();
    return now - number(held, "heartbeat_at") > ttl * 2 / 3;
  }

  /**
   * Drops from the index the workers silent since {@code silentSinceMs} whose heartbeat hash has
   * expired; returns how many. Only the silent are checked: a live worker's score is recent.
   */
  int prune(long silentSinceMs) {
    String index = Keys.workers(prefix);
    return redis.call(j -> {
      List<String> silent = j.zrangeByScore(index, Double.NEGATIVE_INFINITY, silentSinceMs);
      if (silent.isEmpty()) {
        return 0;
      }
      Pipeline p = j.pipelined();
      List<Response<Boolean>> exists = new ArrayList<>();
      for (String id : silent) {
        exists.add(p.exists(Keys.worker(prefix, id)));
      }
      Pipelines.syncChecked(p);
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < silent.size(); i++) {
        if (!exists.get(i).get()) {
          gone.add(silent.get(i));
        }
      }
      return gone.isEmpty() ? 0 : (int) j.zrem(index, gone.toArray(String[]::new));
    });
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
        if (Pipelines.execChecked(t) != null) {
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
      Pipelines.syncChecked(p);
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
      Pipelines.syncChecked(p);
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

  private static Map<String, String> toMap(WorkerInfo w, Duration ttl) {
    Map<String, String> h = new LinkedHashMap<>(toMap(w));
    h.put(TTL_MS, Long.toString(ttl.toMillis()));
    return h;
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
