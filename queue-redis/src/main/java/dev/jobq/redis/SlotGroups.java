package dev.jobq.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Work over the keys of several queues under a Redis Cluster, where no command may name keys of
 * two slots: the keys grouped by slot, and a blocking wait taken in turns.
 */
final class SlotGroups {
  /**
   * How long one slot's keys are waited on before the next slot's turn. An idle worker on
   * queues of several slots so sends about ten commands a second, and a wake-up on one queue is
   * seen up to (slots - 1) turns late (the first turn falls on a random slot, so a wait
   * shorter than all the turns still reaches every slot over a few waits); a single slot is waited on in one command, as on one
   * server.
   */
  static final long TURN_MS = 100;

  private SlotGroups() {}

  static <E> List<List<E>> bySlot(List<E> items, Function<E, String> key) {
    Map<Integer, List<E>> groups = new LinkedHashMap<>();
    for (E item : items) {
      groups.computeIfAbsent(JedisClusterCRC16.getSlot(key.apply(item)), s -> new ArrayList<>())
          .add(item);
    }
    return List.copyOf(groups.values());
  }

  /**
   * Runs {@code wait} (a group, how long in ms; null when nothing came) on one group for the
   * whole time, or with several, on each in turn for up to {@link #TURN_MS}, until one answers,
   * {@code waitMs} has passed or the thread is interrupted (null then, the interrupt kept for
   * the caller to see).
   */
  static <K, T> T inTurns(List<List<K>> groups, long waitMs, BiFunction<List<K>, Long, T> wait) {
    if (groups.isEmpty()) {
      return null;
    }
    if (groups.size() == 1) {
      return wait.apply(groups.get(0), waitMs);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    // a random first turn: a wait shorter than every group's turn still reaches each group over
    // a few calls (a wake-up stays in its list until popped), where a fixed first turn would
    // never reach the groups past waitMs / TURN_MS
    int first = ThreadLocalRandom.current().nextInt(groups.size());
    while (true) {
      for (int i = 0; i < groups.size(); i++) {
        List<K> group = groups.get((first + i) % groups.size());
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
          return null;
        }
        T answer = wait.apply(group, Math.min(TURN_MS, left));
        if (answer != null) {
          return answer;
        }
      }
    }
  }
}
