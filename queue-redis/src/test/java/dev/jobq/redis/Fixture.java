package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import dev.jobq.contract.MutableClock;

import static java.nio.charset.StandardCharsets.UTF_8;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
  final MutableClock clock = new MutableClock(START);
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

  /** The ids of the jobs stored in a queue. */
  Set<String> storedIds(String queue) {
    return new TreeSet<>(jedis.hkeys(new Keys(prefix, queue).jobs()));
  }

  /** A job's stored fields as text; empty when there is no such job. */
  Map<String, String> stored(String queue, String id) {
    byte[] packed = jedis.hget(new Keys(prefix, queue).jobsBytes(), id.getBytes(UTF_8));
    return packed == null ? Map.of() : MessagePack.readMap(packed);
  }

  /** Sets one field of a stored job, as an operator with redis-cli and Lua could. */
  void editStored(String queue, String id, String field, String value) {
    jedis.eval("local j = cmsgpack.unpack(redis.call('HGET', KEYS[1], ARGV[1]))"
        + " j[ARGV[2]] = ARGV[3] redis.call('HSET', KEYS[1], ARGV[1], cmsgpack.pack(j))",
        List.of(new Keys(prefix, queue).jobs()), List.of(id, field, value));
  }

  void deleteStored(String queue, String id) {
    jedis.hdel(new Keys(prefix, queue).jobs(), id);
  }

  @Override
  public void close() {
    try {
      for (String queue : broker.queues()) {
        assertThat(broker.tools().doctor(queue, false).findings()).as("doctor of queue " + queue).isEmpty();
      }
    } finally {
      broker.close();
      jedis.close();
    }
  }
}
