package dev.jobq.redis;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * A broker on the shared test Redis with a key prefix of its own and a clock the test moves.
 * Closing it checks the invariants of every queue the test used.
 */
final class Fixture implements AutoCloseable {
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  final TestRedis redis = TestRedis.shared();
  final String prefix = TestRedis.uniquePrefix();
  final TestClock clock = new TestClock(START);
  final RedisBroker broker;
  final JobClient client;
  final Jedis jedis;

  Fixture() {
    this(RedisConfig.builder());
  }

  Fixture(RedisConfig.Builder config) {
    broker = RedisBroker.connect(config.url(redis.url()).prefix(prefix).clock(clock).build());
    client = JobClient.create(broker);
    jedis = new Jedis(redis.host(), redis.port());
  }

  static JobRequest.Builder job(String type) {
    return JobRequest.builder(type);
  }

  /** Every key under this test's prefix. */
  Set<String> keys() {
    return new TreeSet<>(jedis.keys(prefix + ":*"));
  }

  @Override
  public void close() {
    try {
      for (String queue : broker.queues()) {
        Invariants.assertHold(jedis, prefix, queue);
      }
    } finally {
      broker.close();
      jedis.close();
    }
  }
}
