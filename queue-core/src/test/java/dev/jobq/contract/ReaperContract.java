package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code reapExpired} with the clock moved past a lease: a lost lease is an ordinary failed
 * attempt, retried through the job's policy (or the default) and dead-lettered on the last.
 */
public interface ReaperContract extends BrokerUnderTest {
  /** The error class a reaped attempt fails with (docs/PROTOCOL.md, "How a worker uses them"). */
  String LEASE_EXPIRED = "dev.jobq.LeaseExpired";
  RetryPolicy TEN_SECONDS = new RetryPolicy(3, Backoff.fixed(Duration.ofSeconds(10)));

  private int reap() {
    return broker().reapExpired(QUEUE, TEN_SECONDS, 100);
  }

  @Test
  default void aLiveLeaseIsLeftAlone() {
    enqueued("a");
    claimed("a");
    advance(LEASE.minusMillis(1));

    assertThat(reap()).isZero();

    assertThat(statusOf("a")).isEqualTo(JobStatus.ACTIVE);
  }

  @Test
  default void anExpiredLeaseIsAFailedAttemptRetriedThroughTheJobsOwnBackoff() {
    enqueue(job("t").id("a").backoff(Backoff.fixed(Duration.ofSeconds(7))));
    claimed("a");
    advance(LEASE.plusMillis(1));

    assertThat(reap()).isOne();

    Job reaped = stored("a");
    assertThat(reaped.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(reaped.errorClass()).isEqualTo(LEASE_EXPIRED);
    assertThat(reaped.runAt()).isEqualTo(START.plus(LEASE).plusMillis(1).plusSeconds(7));
    assertThat(broker().stats(QUEUE).totalFailedAttempts()).isOne();
  }

  @Test
  default void aJobWithoutABackoffOfItsOwnIsRetriedThroughTheDefaultPolicy() {
    enqueue(job("t").id("a").maxAttempts(3));
    claimed("a");
    advance(LEASE.plusMillis(1));

    reap();

    assertThat(stored("a").runAt()).isEqualTo(START.plus(LEASE).plusMillis(1).plusSeconds(10));
    advance(Duration.ofSeconds(10));
    assertThat(claimed("a").attempt()).isEqualTo(2);
  }

  @Test
  default void anExpiredLeaseOnTheLastAttemptDeadLetters() {
    enqueue(job("t").id("a").maxAttempts(1));
    claimed("a");
    advance(LEASE.plusMillis(1));

    assertThat(reap()).isOne();

    Job dead = stored("a");
    assertThat(dead.status()).isEqualTo(JobStatus.FAILED);
    assertThat(dead.errorClass()).isEqualTo(LEASE_EXPIRED);
    assertThat(broker().stats(QUEUE).totalDeadLettered()).isOne();
  }

  @Test
  default void theReaperTakesAtMostItsLimitAndEachJobOnce() {
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }
    claim(5);
    advance(LEASE.plusMillis(1));

    assertThat(broker().reapExpired(QUEUE, TEN_SECONDS, 2)).isEqualTo(2);
    assertThat(broker().reapExpired(QUEUE, TEN_SECONDS, 10)).isEqualTo(3);
    assertThat(broker().reapExpired(QUEUE, TEN_SECONDS, 10)).isZero();

    assertThat(broker().stats(QUEUE).delayed()).isEqualTo(5);
    assertThat(broker().stats(QUEUE).active()).isZero();
  }

  @Test
  default void theExpiredLeaseOfAJobCancelledWhileItRanJustEnds() {
    enqueued("a");
    claimed("a");
    client().cancel(QUEUE, "a");
    advance(LEASE.plusMillis(1));

    assertThat(reap()).as("no attempt failed").isZero();

    assertThat(statusOf("a")).isEqualTo(JobStatus.CANCELLED);
    assertThat(stored("a").errorClass()).isNull();
    assertThat(broker().stats(QUEUE).totalFailedAttempts()).isZero();
    assertThat(broker().stats(QUEUE).active()).isZero();
  }

  @Test
  default void theReaperLeavesOtherQueuesAlone() {
    enqueue(job("t").id("a").queue("other"));
    broker().claim("other", WORKER, 1, LEASE);
    advance(LEASE.plusMillis(1));

    assertThat(reap()).isZero();

    assertThat(stored("other", "a").status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(broker().reapExpired("other", TEN_SECONDS, 10)).isOne();
  }
}
