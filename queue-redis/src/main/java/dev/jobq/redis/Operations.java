package dev.jobq.redis;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.JobActionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * What an operator does to a queue: cancel, retry failed jobs, clear, purge, pause and resume,
 * cap its depth, and wipe a throwaway prefix. Bulk work goes a batch per script call, so that
 * Redis is never held long.
 */
final class Operations {
  /** How many ids a bulk script (clear, purge, retry all) handles per call. */
  private static final int BATCH = 1000;

  private final Queues queues;

  Operations(Queues queues) {
    this.queues = queues;
  }

  Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    List<Object> args = new ArrayList<>();
    args.add(queues.config.cancelledRetention().toMillis());
    args.add(queues.config.maxFinishedKept());
    args.addAll(idList);
    List<?> out = (List<?>) queues.run(Script.CANCEL, queue, args.toArray());
    Map<String, CancelOutcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < idList.size(); i++) {
      outcomes.put(idList.get(i), Reply.cancelOutcome(out.get(i)));
    }
    return outcomes;
  }

  JobActionOutcome delete(String queue, String id) {
    Object out = queues.run(Script.DELETE, queue, queues.config.cancelledRetention().toMillis(),
        queues.config.maxFinishedKept(), id);
    return Reply.actionOutcome(out);
  }

  JobActionOutcome runNow(String queue, String id) {
    return Reply.actionOutcome(queues.run(Script.RUN_NOW, queue, id));
  }

  long retryFailed(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    long moved = 0;
    for (int from = 0; from < idList.size(); from += BATCH) {
      List<Object> args = new ArrayList<>();
      args.add(BATCH);
      args.addAll(idList.subList(from, Math.min(idList.size(), from + BATCH)));
      moved += (Long) queues.run(Script.RETRY_FAILED, queue, args.toArray());
    }
    return moved;
  }

  long retryAllFailed(String queue) {
    // bounded: jobs that fail again meanwhile wait for the next call
    Keys k = queues.keys(queue);
    long rounds = queues.redis.call(k.base, j -> j.zcard(k.failed())) / BATCH + 1;
    long moved = 0;
    for (long i = 0; i < rounds; i++) {
      long n = (Long) queues.run(Script.RETRY_FAILED, queue, BATCH);
      moved += n;
      if (n == 0) {
        break;
      }
    }
    return moved;
  }

  ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    long[] total = new long[4];
    while (true) {
      List<?> out = (List<?>) queues.run(Script.CLEAR, queue, dryRun ? 1 : 0,
          includeFailed ? 1 : 0, BATCH);
      long sum = 0;
      for (int i = 0; i < 4; i++) {
        total[i] += (Long) out.get(i);
        sum += (Long) out.get(i);
      }
      if (dryRun || sum == 0) {
        return new ClearResult(total[0], total[1], total[2], total[3]);
      }
    }
  }

  long purge(String queue, Duration age) {
    long cutoff = queues.now() - age.toMillis();
    long deleted = 0;
    long n;
    do {
      n = (Long) queues.run(Script.PURGE, queue, cutoff, BATCH);
      deleted += n;
    } while (n > 0);
    return deleted;
  }

  void pause(String queue) {
    queues.remember(queue);
    Keys k = queues.keys(queue);
    queues.redis.call(k.base, j -> j.hset(k.meta(), "paused", "1"));
  }

  /** Also wakes the workers idling on the queue, which stopped claiming while it was paused. */
  void resume(String queue) {
    Keys k = queues.keys(queue);
    queues.redis.call(k.base, j -> {
      Pipeline p = j.pipelined();
      p.hset(k.meta(), "paused", "0");
      p.lpush(k.wake(), "1");
      p.ltrim(k.wake(), 0, 0);
      Pipelines.syncChecked(p);
      return null;
    });
  }

  void setMaxDepth(String queue, long maxDepth) {
    queues.remember(queue);
    Keys k = queues.keys(queue);
    queues.redis.call(k.base, j -> j.hset(k.meta(), "max_depth", Long.toString(maxDepth)));
  }

  /**
   * Deletes every key under the prefix, a SCAN page at a time, on every master of a cluster;
   * returns how many there were.
   */
  long deletePrefix() {
    String match = queues.config.prefix() + ":*";
    long deleted = 0;
    for (long onNode : queues.redis.onEveryNode(j -> deleteMatching(j, match))) {
      deleted += onNode;
    }
    return deleted;
  }

  private long deleteMatching(Jedis j, String match) {
    long deleted = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = j.scan(cursor, new ScanParams().match(match).count(1000));
      // UNLINK may name keys of one slot only, under a cluster
      for (List<String> slot : queues.redis.bySlot(page.getResult(), key -> key)) {
        deleted += slot.isEmpty() ? 0 : j.unlink(slot.toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return deleted;
  }
}
