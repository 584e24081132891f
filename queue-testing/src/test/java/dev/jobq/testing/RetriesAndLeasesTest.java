package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetriesAndLeasesTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final RetryPolicy FIXED = new RetryPolicy(3, Backoff.fixed(Duration.ofSeconds(10)));
  final ManualClock clock = new ManualClock(TestJobs.START);
  final InMemoryBroker broker = new InMemoryBroker(clock);
  final JobClient client = JobClient.create(broker);

  Job claimOne() {
    return broker.claim("default", "w1", 1, LEASE).get(0);
  }

  @Test
  void aFailedAttemptWaitsItsDelayThenRunsAgainUntilNoAttemptIsLeft() {
    String id = client.enqueue(JobRequest.builder("a").maxAttempts(2).build()).jobId();
    Job first = claimOne();
    assertThat(broker.fail("default", id, first.token(), Failure.of("E", "boom"),
        Duration.ofSeconds(5))).isEqualTo(FailOutcome.RETRY_SCHEDULED);
    assertThat(broker.get("default", id).orElseThrow().status()).isEqualTo(JobStatus.DELAYED);
    assertThat(broker.claim("default", "w1", 1, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    Job second = claimOne();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(broker.fail("default", id, first.token(), Failure.of("E", "late"), null))
        .as("the first attempt's token is stale").isEqualTo(FailOutcome.STALE);
    assertThat(broker.fail("default", id, second.token(), Failure.of("E", "again"),
        Duration.ofSeconds(5))).isEqualTo(FailOutcome.DEAD_LETTERED);
    Job dead = broker.get("default", id).orElseThrow();
    assertThat(dead.status()).isEqualTo(JobStatus.FAILED);
    assertThat(dead.error()).isEqualTo("again");
    assertThat(broker.stats("default").totalFailedAttempts()).isEqualTo(2);
    assertThat(broker.stats("default").totalDeadLettered()).isEqualTo(1);

    assertThat(broker.retryFailed("default", List.of(id))).isEqualTo(1);
    Job back = broker.get("default", id).orElseThrow();
    assertThat(back.status()).isEqualTo(JobStatus.WAITING);
    assertThat(back.attempt()).isZero();
  }

  @Test
  void renewalsAnswerPerJobAndTheReaperRetriesAnExpiredLeaseThroughThePolicy() {
    String a = client.enqueue(JobRequest.builder("a").build()).jobId();
    String b = client.enqueue(JobRequest.builder("a").build()).jobId();
    List<Job> jobs = broker.claim("default", "w1", 2, LEASE);
    broker.cancel("default", List.of(b));
    Map<String, LeaseState> states = broker.renewLeases("default", "w1",
        Map.of(a, jobs.get(0).token(), b, jobs.get(1).token(), "gone", 5L), LEASE);
    assertThat(states).containsEntry(a, LeaseState.HELD).containsEntry(b, LeaseState.CANCELLED)
        .containsEntry("gone", LeaseState.LOST);

    clock.advance(LEASE.minusSeconds(1));
    assertThat(broker.reapExpired("default", FIXED, 10)).as("renewed, not expired").isZero();
    clock.advance(LEASE);
    assertThat(broker.reapExpired("default", FIXED, 10)).isEqualTo(1);
    Job reaped = broker.get("default", a).orElseThrow();
    assertThat(reaped.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(reaped.errorClass()).isEqualTo("dev.jobq.LeaseExpired");
    assertThat(reaped.runAt()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(broker.stats("default").active()).as("the cancelled job's lease ended").isZero();
    assertThat(broker.recentEvents("default", 3)).extracting(JobEvent::type)
        .containsExactly(JobEvent.Type.CANCELLED, JobEvent.Type.STALLED, JobEvent.Type.RETRYING);
  }

  @Test
  void aJobCancelledWhileItRunsHoldsItsRunningSlotUntilItsWorkerReports() {
    broker.setLimit("default", Limit.running(null, 1));
    String a = client.enqueue(JobRequest.builder("a").build()).jobId();
    String b = client.enqueue(JobRequest.builder("a").build()).jobId();
    Job running = claimOne();
    assertThat(client.cancel("default", a)).containsEntry(a, CancelOutcome.CANCELLED);
    assertThat(broker.claim("default", "w1", 1, LEASE)).as("the slot is still held").isEmpty();
    assertThat(broker.stats("default").heldBack()).containsExactly("queue: at most 1 running");
    assertThat(broker.complete("default", a, running.token(), "1")).as("dropped").isFalse();
    assertThat(broker.get("default", a).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(broker.claim("default", "w1", 1, LEASE)).extracting(Job::id).containsExactly(b);
    assertThat(client.cancel("default", a)).containsEntry(a, CancelOutcome.ALREADY_FINISHED);
  }

  @Test
  void aRateLimitStartsAtMostNPerWindow() {
    broker.setLimit("default", Limit.rate("a", 2, Duration.ofMinutes(1)));
    for (int i = 0; i < 3; i++) {
      client.enqueue(JobRequest.builder("a").build());
    }
    String other = client.enqueue(JobRequest.builder("b").build()).jobId();
    assertThat(broker.claim("default", "w", 10, LEASE)).hasSize(3)
        .extracting(Job::id).contains(other);
    clock.advance(Duration.ofMinutes(1));
    assertThat(broker.claim("default", "w", 10, LEASE)).hasSize(1);
  }
}
