package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import dev.jobq.contract.MutableClock;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * A step of a worker's wall clock (an NTP correction, a VM resumed) after it has read Redis's
 * clock changes nothing: its reaper takes no live lease, its heartbeats write no deadline in the
 * past.
 */
class ClockStepTest {
  @ParameterizedTest
  @ValueSource(ints = {-60, 60})
  void aStepOfTheHostClockMovesNeitherReapsNorLeases(int secondsStepped) {
    TestRedis redis = TestRedis.shared();
    String prefix = TestRedis.uniquePrefix();
    MutableClock host = new MutableClock(Instant.now());
    try (RedisBroker honest = RedisBroker.connect(
            RedisConfig.builder().url(redis.url()).prefix(prefix).build());
        RedisBroker stepped = RedisBroker.connect(
            RedisConfig.builder().url(redis.url()).prefix(prefix).hostClock(host).build());
        Jedis jedis = new Jedis(redis.host(), redis.port())) {
      JobClient client = JobClient.create(honest);
      client.enqueue(job("long").build());
      Job held = stepped.claim("default", "stepped", 1, Duration.ofSeconds(30)).get(0);

      host.set(host.instant().plusSeconds(secondsStepped));

      assertThat(Duration.between(honest.now(), stepped.now()).abs()).isLessThan(Duration.ofSeconds(2));
      assertThat(stepped.reapExpired("default", RetryPolicy.DEFAULT, 10)).isZero();
      assertThat(client.require("default", held.id()).status()).isEqualTo(JobStatus.ACTIVE);
      stepped.renewLeases("default", "stepped", Map.of(held.id(), held.token()), Duration.ofSeconds(30));
      double deadline = jedis.zscore(new Keys(prefix, "default").active(), held.id());
      assertThat((long) deadline).isGreaterThan(honest.now().plus(Duration.ofSeconds(28)).toEpochMilli());
    }
  }

  @Test
  void beforeRedisFirstAnswersTheHostClockStandsIn() {
    MutableClock host = new MutableClock(Instant.parse("2031-05-01T00:00:00Z"));
    // no connection: every read of Redis's clock fails, as while Redis is still down
    RedisClock clock = new RedisClock(null, null, host, () -> 0L);
    assertThat(clock.millis()).isEqualTo(host.millis());
  }
}
