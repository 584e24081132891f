package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A lease token never repeats for a job id: not across id reuse, not across a Redis restart. */
class LeaseTokensTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final RetryPolicy POLICY = new RetryPolicy(1, Backoff.fixed(Duration.ZERO));
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** A finished job's id sent again, to run again. */
  private static void enqueueAgain(JobClient client, String id) {
    assertThat(client.enqueue(job("a").id(id).replaceFinished().build()).created()).isTrue();
  }

  private Job claimOne(RedisBroker broker, String worker) {
    return broker.claim("default", worker, 1, LEASE).get(0);
  }

  /** Pooled connections to the killed server fail once each before the pool makes new ones. */
  private static void awaitReachable(RedisBroker broker) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        broker.ping();
        return;
      } catch (BrokerUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @Test
  void aJobCancelledAndEnqueuedAgainIsNeverCurrentForItsFirstWorker() {
    f.client.enqueue(job("a").id("x").build());
    Job first = claimOne(f.broker, "w1");
    f.client.cancel("default", "x");
    enqueueAgain(f.client, "x");
    assertThat(f.stored("default", "x")).as("a claim in the same ms still goes above it")
        .containsEntry("token", Long.toString(first.token()));
    Job second = claimOne(f.broker, "w2");

    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(f.broker.renewLeases("default", "w1", Map.of("x", first.token()), LEASE))
        .containsEntry("x", LeaseState.LOST);
    assertThat(f.broker.progress("default", "x", first.token(), "{}")).isFalse();
    assertThat(f.broker.complete("default", "x", first.token(), "\"w1\"")).isFalse();

    assertThat(f.broker.renewLeases("default", "w2", Map.of("x", second.token()), LEASE))
        .containsEntry("x", LeaseState.HELD);
    assertThat(f.broker.progress("default", "x", second.token(), "{}")).isTrue();
    assertThat(f.broker.complete("default", "x", second.token(), "\"w2\"")).isTrue();
    assertThat(f.client.require("default", "x").result()).isEqualTo("\"w2\"");
  }

  @Test
  void aFrozenWorkersTokenIsRefusedAfterItsJobWasDeadLetteredAndEnqueuedAgain() {
    f.client.enqueue(job("a").id("x").maxAttempts(1).build());
    Job frozen = claimOne(f.broker, "w1");
    f.clock.advance(LEASE.plusMillis(1));
    assertThat(f.broker.reapExpired("default", POLICY, 10)).isEqualTo(1);
    assertThat(f.client.require("default", "x").status()).isEqualTo(JobStatus.FAILED);
    enqueueAgain(f.client, "x");
    Job current = claimOne(f.broker, "w2");

    assertThat(current.token()).isGreaterThan(frozen.token());
    assertThat(f.broker.renewLeases("default", "w1", Map.of("x", frozen.token()), LEASE))
        .containsEntry("x", LeaseState.LOST);
    assertThat(f.broker.fail("default", "x", frozen.token(), Failure.of("E", "late"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(f.broker.complete("default", "x", frozen.token(), null)).isFalse();
    assertThat(f.broker.complete("default", "x", current.token(), null)).isTrue();
  }

  @Test
  void aClaimAfterRedisRestartedFromAnOlderSnapshotHandsOutANewerToken() throws Exception {
    try (TestRedis own = TestRedis.start();
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(own.url())
            .clock(f.clock).connectTimeout(Duration.ofMillis(500)).build())) {
      JobClient client = JobClient.create(broker);
      client.enqueue(job("a").id("x").build());
      assertThat(own.command("SAVE")).isEqualTo("+OK");
      Job lost = claimOne(broker, "w1");

      own.kill();
      own.restart();
      awaitReachable(broker);
      assertThat(client.require("default", "x").status()).as("as the snapshot had it")
          .isEqualTo(JobStatus.WAITING);
      Job current = claimOne(broker, "w2");

      assertThat(current.token()).isGreaterThan(lost.token());
      assertThat(broker.renewLeases("default", "w1", Map.of("x", lost.token()), LEASE))
          .containsEntry("x", LeaseState.LOST);
      assertThat(broker.complete("default", "x", lost.token(), "\"w1\"")).isFalse();
      assertThat(broker.complete("default", "x", current.token(), "\"w2\"")).isTrue();
      assertThat(broker.tools().doctor("default", false).findings()).isEmpty();
    }
  }
}
