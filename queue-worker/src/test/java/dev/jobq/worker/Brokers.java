package dev.jobq.worker;

import dev.jobq.Broker;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;

/** The one place the worker tests make a {@link RedisBroker}. */
final class Brokers {
  private Brokers() {}

  static Broker connect(TestRedis redis, String prefix) {
    return RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix).build());
  }
}
