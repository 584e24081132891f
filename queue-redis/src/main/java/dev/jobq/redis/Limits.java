package dev.jobq.redis;

import dev.jobq.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue's {@link Limit}s: set, removed and listed here, stored as a hash claim.lua reads, and
 * what the monitor says of them.
 */
final class Limits {
  /** A limit that held jobs back this recently shows in the monitor. */
  static final long HELD_RECENTLY_MS = 5_000;
  private static final String QUEUE = "queue";
  private static final String TYPE = "type:";

  private final Queues queues;

  Limits(Queues queues) {
    this.queues = queues;
  }

  void set(String queue, Limit limit) {
    queues.remember(queue);
    String value = limit.maxRunning() + "," + limit.maxStarted() + ","
        + (limit.per() == null ? 0 : limit.per().toMillis());
    Keys k = queues.keys(queue);
    queues.redis.call(k.base, j -> j.hset(k.limits(), scope(limit.type()), value));
  }

  /** Removes the limit of the queue ({@code type} null) or of a type; false if there was none. */
  boolean remove(String queue, String type) {
    Keys k = queues.keys(queue);
    return queues.redis.call(k.base, j -> j.hdel(k.limits(), scope(type))) == 1;
  }

  List<Limit> list(String queue) {
    Keys k = queues.keys(queue);
    return read(queues.redis.call(k.base, j -> j.hgetAll(k.limits())));
  }

  static String scope(String type) {
    return type == null ? QUEUE : TYPE + type;
  }

  static List<Limit> read(Map<String, String> stored) {
    List<Limit> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(stored).entrySet()) {
      Limit l = parse(e.getKey(), e.getValue());
      if (l != null) {
        out.add(l.type() == null ? 0 : out.size(), l);
      }
    }
    return out;
  }

  /** Null for a value edited into nonsense: the claim script ignores it too. */
  private static Limit parse(String scope, String value) {
    String[] f = value.split(",");
    try {
      String type = scope.equals(QUEUE) ? null : scope.substring(TYPE.length());
      long per = Long.parseLong(f[2]);
      return new Limit(type, Integer.parseInt(f[0]), Integer.parseInt(f[1]),
          per > 0 ? Duration.ofMillis(per) : null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code type deploy: at most 2 running} for every limit that held jobs back just now. */
  static List<String> heldBack(Map<String, String> limits, Map<String, String> state, long now) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(limits).entrySet()) {
      String at = state.get("held:" + e.getKey());
      Limit l = parse(e.getKey(), e.getValue());
      if (l != null && at != null && now - Long.parseLong(at) <= HELD_RECENTLY_MS) {
        out.add((l.type() == null ? "queue" : "type " + l.type()) + ": " + l.describe());
      }
    }
    return out;
  }
}
