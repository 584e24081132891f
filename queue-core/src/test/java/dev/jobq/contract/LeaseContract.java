package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code renewLeases}: one answer per id, HELD, LOST or CANCELLED. */
public interface LeaseContract extends BrokerUnderTest {
  RetryPolicy NO_WAIT = new RetryPolicy(3, Backoff.fixed(Duration.ZERO));

  private Map<String, LeaseState> renew(Map<String, Long> tokens) {
    return broker().renewLeases(QUEUE, WORKER, tokens, LEASE);
  }

  @Test
  default void aRenewedLeaseOutlivesItsFirstDeadline() {
    enqueued("a");
    Job j = claimed("a");
    advance(Duration.ofSeconds(25));

    assertThat(renew(Map.of("a", j.token()))).isEqualTo(Map.of("a", LeaseState.HELD));

    advance(Duration.ofSeconds(25));
    assertThat(broker().reapExpired(QUEUE, NO_WAIT, 10)).isZero();
    assertThat(statusOf("a")).isEqualTo(JobStatus.ACTIVE);
    advance(Duration.ofSeconds(5).plusMillis(1));
    assertThat(broker().reapExpired(QUEUE, NO_WAIT, 10)).as("the renewed lease passed").isOne();
  }

  @Test
  default void renewingAnswersLostForAStaleToken() {
    enqueued("a");
    Job j = claimed("a");

    assertThat(renew(Map.of("a", j.token() - 1))).isEqualTo(Map.of("a", LeaseState.LOST));
    assertThat(stored("a").token()).isEqualTo(j.token());
  }

  @Test
  default void renewingAnswersLostForAJobTakenOverByAnotherWorker() {
    enqueued("a");
    Job stale = claimed("a");
    advance(LEASE.plusMillis(1));
    broker().reapExpired(QUEUE, NO_WAIT, 10);
    Job current = broker().claim(QUEUE, "w2", 1, LEASE).get(0);

    assertThat(renew(Map.of("a", stale.token()))).isEqualTo(Map.of("a", LeaseState.LOST));
    assertThat(broker().renewLeases(QUEUE, "w2", Map.of("a", current.token()), LEASE))
        .isEqualTo(Map.of("a", LeaseState.HELD));
  }

  @Test
  default void renewingAnswersLostForAFinishedOrWaitingJobAndAnUnknownId() {
    Job done = completedJob("done");
    enqueued("waiting");

    assertThat(renew(Map.of("done", done.token(), "waiting", 0L, "missing", 5L))).isEqualTo(
        Map.of("done", LeaseState.LOST, "waiting", LeaseState.LOST, "missing", LeaseState.LOST));
    assertThat(statusOf("waiting")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void renewingAnswersCancelledForAJobCancelledWhileItRuns() {
    enqueued("a");
    Job j = claimed("a");
    client().cancel(QUEUE, "a");

    assertThat(renew(Map.of("a", j.token()))).isEqualTo(Map.of("a", LeaseState.CANCELLED));
    assertThat(statusOf("a")).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  default void renewingAnswersEveryIdOfOneCallOnItsOwn() {
    for (String id : List.of("held", "cancelled", "stale")) {
      enqueued(id);
    }
    List<Job> jobs = claim(3);
    client().cancel(QUEUE, "cancelled");
    Map<String, Long> tokens = new LinkedHashMap<>();
    tokens.put("held", jobs.get(0).token());
    tokens.put("cancelled", jobs.get(1).token());
    tokens.put("stale", jobs.get(2).token() + 1);

    assertThat(renew(tokens)).isEqualTo(Map.of("held", LeaseState.HELD,
        "cancelled", LeaseState.CANCELLED, "stale", LeaseState.LOST));
  }

  @Test
  default void renewingNothingAnswersNothing() {
    assertThat(renew(Map.of())).isEmpty();
  }
}
