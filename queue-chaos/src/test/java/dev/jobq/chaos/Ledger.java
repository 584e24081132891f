package dev.jobq.chaos;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the chaos handlers did, kept in Redis beside the queue and read by the tests: per job,
 * how often its handler started, when it first started (Redis's clock), and how often a worker
 * heard that Redis accepted its completion. Each record has a random field name of its own, so
 * that writing it again after a lost answer (Redis killed mid-call) cannot count it twice.
 */
final class Ledger {
  private static final String RUN = """
      local t = redis.call('TIME')
      redis.call('HSETNX', KEYS[1], ARGV[1], t[1] * 1000 + math.floor(t[2] / 1000))
      """;
  /** Long enough to outlast any outage a scenario makes: a lost record would fail the test. */
  private static final long RETRY_FOR_MS = 60_000;

  private final RedisClient redis;
  private final String runs;
  private final String completions;

  Ledger(RedisClient redis, String prefix) {
    this.redis = redis;
    this.runs = prefix + ":ledger:runs";
    this.completions = prefix + ":ledger:completions";
  }

  /** A handler started: a field "id nonce" whose value is Redis's time then, in ms. */
  void recordRun(String id) {
    String field = id + " " + UUID.randomUUID();
    retrying(() -> redis.eval(RUN, List.of(runs), List.of(field)));
  }

  void recordCompletion(String id) {
    String field = id + " " + UUID.randomUUID();
    retrying(() -> redis.hsetnx(completions, field, "1"));
  }

  Map<String, Long> runs() {
    return perJob(runs, Collectors.counting());
  }

  Map<String, Long> completions() {
    return perJob(completions, Collectors.counting());
  }

  /** Redis time (ms) of each job's first start. */
  Map<String, Long> firstStarts() {
    return perJob(runs, Collectors.collectingAndThen(
        Collectors.mapping(e -> Long.parseLong(e.getValue()), Collectors.minBy(Long::compare)),
        Optional::orElseThrow));
  }

  private Map<String, Long> perJob(String key,
      Collector<Map.Entry<String, String>, ?, Long> reduce) {
    return redis.hgetAll(key).entrySet().stream()
        .collect(Collectors.groupingBy(e -> e.getKey().substring(0, e.getKey().indexOf(' ')),
            reduce));
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
