package dev.jobq.testing;

import dev.jobq.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A queue's limits as the Redis broker keeps them: per scope ({@code queue} or {@code
 * type:<type>}) max running, max started and the window in ms (0: none), read back into
 * {@link Limit}s the way {@code Limits.read} does; and what the monitor says of those that held
 * jobs back just now.
 */
final class Limits {
  /** A limit that held jobs back this recently shows in stats. */
  static final long HELD_RECENTLY_MS = 5_000;
  private static final String QUEUE = "queue";
  private static final String TYPE = "type:";

  private Limits() {}

  static String scope(String type) {
    return type == null ? QUEUE : TYPE + type;
  }

  static void set(QueueState q, Limit limit) {
    long per = limit.per() == null ? 0 : limit.per().toMillis();
    q.limits.put(scope(limit.type()), new long[] {limit.maxRunning(), limit.maxStarted(), per});
  }

  static boolean remove(QueueState q, String type) {
    return q.limits.remove(scope(type)) != null;
  }

  /** The queue's own first, then by type. */
  static List<Limit> list(QueueState q) {
    List<Limit> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : q.limits.entrySet()) {
      Limit l = toLimit(e.getKey(), e.getValue());
      out.add(l.type() == null ? 0 : out.size(), l);
    }
    return out;
  }

  private static Limit toLimit(String scope, long[] v) {
    String type = scope.equals(QUEUE) ? null : scope.substring(TYPE.length());
    return new Limit(type, (int) v[0], (int) v[1], v[2] > 0 ? Duration.ofMillis(v[2]) : null);
  }

  /** {@code type deploy: at most 2 running} for every limit that held jobs back just now. */
  static List<String> heldBack(QueueState q, long now) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : q.limits.entrySet()) {
      Long at = q.limitState.heldAt.get(e.getKey());
      if (at != null && now - at <= HELD_RECENTLY_MS) {
        Limit l = toLimit(e.getKey(), e.getValue());
        out.add((l.type() == null ? "queue" : "type " + l.type()) + ": " + l.describe());
      }
    }
    return out;
  }
}
