package dev.jobq.worker;

import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import java.time.Clock;

/** The one place the worker tests make a {@link RedisBroker}. */
final class Brokers {
  private Brokers() {}

  static RedisBroker connect(TestRedis redis, String prefix) {
    return RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix).build());
  }

  /** A broker whose "now" is {@code clock} instead of Redis's: another host, or the future. */
  static RedisBroker connect(TestRedis redis, String prefix, Clock clock) {
    return RedisBroker.connect(
        RedisConfig.builder().url(redis.url()).prefix(prefix).clock(clock).build());
  }
}
