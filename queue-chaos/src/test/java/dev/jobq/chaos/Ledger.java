package dev.jobq.chaos;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the chaos handlers did, kept in Redis beside the queue and read by the tests: per job,
 * how often its handler started, when it first started (Redis's clock), and how often a worker
 * heard that Redis accepted its completion.
 */
final class Ledger {
  private static final String RUN = """
      redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      local t = redis.call('TIME')
      redis.call('HSETNX', KEYS[2], ARGV[1], t[1] * 1000 + math.floor(t[2] / 1000))
      """;
  /** Long enough to outlast any outage a scenario makes: a lost record would fail the test. */
  private static final long RETRY_FOR_MS = 60_000;

  private final RedisClient redis;
  private final String runs;
  private final String firstStarts;
  private final String completions;

  Ledger(RedisClient redis, String prefix) {
    this.redis = redis;
    this.runs = prefix + ":ledger:runs";
    this.firstStarts = prefix + ":ledger:first-start";
    this.completions = prefix + ":ledger:completions";
  }

  void recordRun(String id) {
    retrying(() -> redis.eval(RUN, List.of(runs, firstStarts), List.of(id)));
  }

  void recordCompletion(String id) {
    retrying(() -> redis.hincrBy(completions, id, 1));
  }

  Map<String, Long> runs() {
    return counts(runs);
  }

  Map<String, Long> completions() {
    return counts(completions);
  }

  /** Redis time (ms) of each job's first start. */
  Map<String, Long> firstStarts() {
    return counts(firstStarts);
  }

  private Map<String, Long> counts(String key) {
    return redis.hgetAll(key).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> Long.parseLong(e.getValue())));
  }

  /** Redis may be down or out of reach for a while in these tests; the record must still land. */
  private static void retrying(Supplier<Object> write) {
    long deadline = System.currentTimeMillis() + RETRY_FOR_MS;
    while (true) {
      try {
        write.get();
        return;
      } catch (JedisException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
