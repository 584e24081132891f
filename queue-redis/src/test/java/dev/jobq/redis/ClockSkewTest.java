package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts whose clocks are ten minutes off still agree on leases and delays: Redis's clock rules. */
class ClockSkewTest {
  @ParameterizedTest
  @ValueSource(ints = {-10, 10})
  void skewedHostNeitherRunsDelayedJobsEarlyNorStealsLiveLeases(int minutesOff) {
    TestRedis redis = TestRedis.shared();
    String prefix = TestRedis.uniquePrefix();
    Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(minutesOff));
    try (RedisBroker honest = RedisBroker.connect(
            RedisConfig.builder().url(redis.url()).prefix(prefix).build());
        RedisBroker off = RedisBroker.connect(
            RedisConfig.builder().url(redis.url()).prefix(prefix).hostClock(skewed).build())) {
      assertThat(Duration.between(honest.now(), off.now()).abs()).isLessThan(Duration.ofSeconds(2));

      JobClient client = JobClient.create(off);
      String delayed = client.enqueue(job("later").delay(Duration.ofMinutes(5)).build()).jobId();
      assertThat(off.claim("default", "off", 10, Duration.ofSeconds(30))).isEmpty();
      assertThat(client.require("default", delayed).runAt())
          .isBetween(honest.now().plus(Duration.ofMinutes(4)), honest.now().plus(Duration.ofMinutes(6)));

      client.enqueue(job("now").build());
      List<Job> held = honest.claim("default", "honest", 1, Duration.ofMinutes(5));
      assertThat(off.reapExpired("default", RetryPolicy.DEFAULT, 10)).isZero();
      assertThat(client.require("default", held.get(0).id()).status()).isEqualTo(JobStatus.ACTIVE);
    }
  }
}
