package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job cancelled while it runs is CANCELLED at once, but keeps its lease, and so its slot under
 * a running limit, until its worker reports or the lease passes: its handler may still run.
 */
class CancelWhileRunningTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final RetryPolicy POLICY = new RetryPolicy(3, Backoff.fixed(Duration.ZERO));
  final Fixture f = new Fixture();
  Job running;

  @BeforeEach
  void oneRunsUnderALimitOfOneAndOneWaits() {
    f.client.setLimit("default", Limit.running(null, 1));
    f.client.enqueue(job("a").id("a").build());
    f.client.enqueue(job("b").id("b").build());
    running = claim().get(0);
    assertThat(f.client.cancel("default", "a")).containsEntry("a", CancelOutcome.CANCELLED);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private List<Job> claim() {
    return f.broker.claim("default", "w", 10, LEASE);
  }

  private Double lease(String id) {
    return f.jedis.zscore(new Keys(f.prefix, "default").active(), id);
  }

  @Test
  void aCancelledJobHoldsItsSlotUntilItsWorkerReports() {
    assertThat(f.client.require("default", "a").status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(claim()).as("a's handler may still run").isEmpty();
    assertThat(f.broker.tools().doctor("default", false).findings()).as("cancelled, leased").isEmpty();
    f.clock.advance(Duration.ofSeconds(20));
    assertThat(f.broker.renewLeases("default", "w", Map.of("a", running.token()), LEASE))
        .containsEntry("a", LeaseState.CANCELLED);
    assertThat(lease("a")).as("renewed").isEqualTo(f.clock.millis() + LEASE.toMillis() + 0.0);

    assertThat(f.broker.complete("default", "a", running.token(), "\"late\"")).isFalse();

    assertThat(lease("a")).isNull();
    assertThat(f.client.require("default", "a").result()).isNull();
    assertThat(claim()).extracting(Job::id).containsExactly("b");
  }

  @Test
  void aFailureOrAReleaseOfACancelledJobIsDroppedAndFreesItsSlot() {
    assertThat(f.broker.fail("default", "a", running.token(), Failure.of("E", "late"),
        Duration.ZERO)).isEqualTo(FailOutcome.STALE);
    assertThat(f.broker.release("default", "a", running.token())).as("reported already").isFalse();
    assertThat(claim()).extracting(Job::id).containsExactly("b");
    assertThat(f.client.require("default", "a").status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(f.broker.stats("default").totalFailedAttempts()).isZero();

    Job b = f.client.require("default", "b");
    f.client.cancel("default", "b");
    assertThat(f.broker.release("default", "b", b.token())).isFalse();
    assertThat(lease("b")).isNull();
    assertThat(f.client.require("default", "b").status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void aCancelledJobWhoseWorkerIsGoneHoldsItsSlotUntilItsLeasePasses() {
    f.clock.advance(LEASE.minusMillis(1));
    assertThat(f.broker.reapExpired("default", POLICY, 10)).isZero();
    assertThat(claim()).isEmpty();

    f.clock.advance(Duration.ofMillis(1));
    assertThat(f.broker.reapExpired("default", POLICY, 10)).as("no attempt failed").isZero();

    assertThat(lease("a")).isNull();
    assertThat(f.broker.stats("default").totalFailedAttempts()).isZero();
    assertThat(f.client.require("default", "a").status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(claim()).extracting(Job::id).containsExactly("b");
  }

  @Test
  void aCancelledJobEnqueuedAgainGivesUpTheLeaseItKept() {
    assertThat(f.client.enqueue(job("a").id("a").replaceFinished().build()).created()).isTrue();

    assertThat(lease("a")).isNull();
    assertThat(f.broker.renewLeases("default", "w", Map.of("a", running.token()), LEASE))
        .containsEntry("a", LeaseState.LOST);
    assertThat(claim()).extracting(Job::id).containsExactly("b");
  }
}
