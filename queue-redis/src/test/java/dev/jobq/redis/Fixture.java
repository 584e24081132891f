package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * A broker on the shared test Redis with a key prefix of its own and a clock the test moves.
 * Closing it runs the doctor on every queue the test used: each test ends by checking the
 * invariant.
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
        assertThat(broker.doctor(queue, false).findings()).as("doctor of queue " + queue).isEmpty();
      }
    } finally {
      broker.close();
      jedis.close();
    }
  }
}
