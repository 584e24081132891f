package dev.jobq.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Queues written by jobq before 0.2 kept a hash per job and sorted wait sets; this layout keeps
 * every job of a queue in one hash and its wait lists as lists. Spots such a queue (its meta
 * still counts a wait sequence, which this layout never writes) and moves it, a slice per
 * script call (upgrade.lua), so that Redis is never held long.
 */
final class LayoutUpgrade {
  private static final int BATCH = 1000;

  /** What one upgrade moved. */
  record Moved(long jobs, long waiting) {}

  private final Connections redis;
  private final LongSupplier clock;

  LayoutUpgrade(Connections redis, LongSupplier clock) {
    this.redis = redis;
    this.clock = clock;
  }

  boolean isEarlier(Keys k) {
    return redis.call(k.base, j -> j.hexists(k.meta(), "seq"));
  }

  Moved run(Keys k) {
    String oldJob = k.base + "job:";
    long[] moved = new long[2];
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams match = new ScanParams().match(oldJob + "*").count(BATCH);
    do {
      String from = cursor;
      ScanResult<String> page = redis.call(k.base, j -> j.scan(from, match));
      List<String> ids = page.getResult().stream().map(key -> key.substring(oldJob.length()))
          .toList();
      if (!ids.isEmpty()) {
        call(k, ids, moved);
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    // with no ids, a call moves wait sets only, and at the end forgets the wait sequence
    long setsLeft;
    do {
      setsLeft = call(k, List.of(), moved);
    } while (setsLeft > 0);
    return new Moved(moved[0], moved[1]);
  }

  /** Adds the jobs and waiting ids moved to {@code moved}; answers the wait sets left. */
  private long call(Keys k, List<String> ids, long[] moved) {
    List<byte[]> keys = new ArrayList<>(k.scriptKeys());
    for (int level = 0; level < 4; level++) {
      keys.add(bytes(k.waiting(level) + ":upgrading"));
    }
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(Long.toString(clock.getAsLong())));
    args.add(bytes(Integer.toString(BATCH)));
    ids.forEach(id -> args.add(bytes(id)));
    List<?> out = (List<?>) redis.eval(Script.UPGRADE, keys, args);
    moved[0] += (Long) out.get(0);
    moved[1] += (Long) out.get(1);
    return (Long) out.get(2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
