package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job with an {@link Escalation} whose attempts are exhausted (or that fails permanently) is
 * handed to a new job instead of the failed list, exactly once, by a worker or by the reaper.
 */
public interface EscalationContract extends BrokerUnderTest {
  Escalation TO_ONCALL = new Escalation("page.human", "oncall", null);

  /** The id of the job that takes over from {@code id}, as {@link Escalation} names it. */
  private String takeover(String id) {
    return id + "/escalated-" + stored(id).createdAt().toEpochMilli();
  }

  @Test
  default void exhaustedAttemptsHandTheJobToANewOneLinkedBothWays() {
    enqueue(job("sync.crm").id("a").payload("{\"account\":7}").maxAttempts(2)
        .header("tenant", "acme").escalateTo(TO_ONCALL));
    Job first = claimed("a");
    assertThat(broker().fail(QUEUE, "a", first.token(), Failure.of("E", "timeout"),
        Duration.ofSeconds(1))).isEqualTo(FailOutcome.RETRY_SCHEDULED);
    advance(Duration.ofSeconds(1));
    Job last = claimed("a");

    FailOutcome outcome = broker().fail(QUEUE, "a", last.token(),
        Failure.of("java.io.IOException", "crm down"), Duration.ofSeconds(1));

    assertThat(outcome).isEqualTo(FailOutcome.ESCALATED);
    Job original = stored("a");
    assertThat(original.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(original.escalatedTo()).isEqualTo("oncall/" + takeover("a"));
    assertThat(original.error()).isEqualTo("crm down");
    assertThat(broker().stats(QUEUE).failed()).as("not dead-lettered").isZero();
    Job next = stored("oncall", takeover("a"));
    assertThat(next.type()).isEqualTo("page.human");
    assertThat(next.priority()).as("one higher").isEqualTo(Priority.HIGH);
    assertThat(next.status()).isEqualTo(JobStatus.WAITING);
    assertThat(next.payload()).isEqualTo("{\"account\":7}");
    assertThat(next.headers()).containsEntry("tenant", "acme")
        .containsEntry(Escalation.FROM_HEADER, QUEUE + "/a");
  }

  @Test
  default void aPermanentFailureEscalatesAtOnce() {
    enqueue(job("t").id("a").maxAttempts(5)
        .escalateTo(new Escalation("a.manual", null, Priority.CRITICAL)));
    Job j = claimed("a");

    assertThat(broker().fail(QUEUE, "a", j.token(), Failure.of("E", "bad input"), null))
        .isEqualTo(FailOutcome.ESCALATED);

    Job next = claimed(takeover("a"));
    assertThat(next.type()).isEqualTo("a.manual");
    assertThat(next.priority()).isEqualTo(Priority.CRITICAL);
  }

  @Test
  default void theReaperEscalatesAJobWhoseLastLeaseExpired() {
    enqueue(job("t").id("a").maxAttempts(1).escalateTo(TO_ONCALL));
    claimed("a");
    advance(LEASE.plusMillis(1));

    assertThat(broker().reapExpired(QUEUE, new RetryPolicy(1, Backoff.fixed(Duration.ZERO)), 10))
        .isOne();

    assertThat(statusOf("a")).isEqualTo(JobStatus.CANCELLED);
    assertThat(stored("a").escalatedTo()).isEqualTo("oncall/" + takeover("a"));
    assertThat(stored("oncall", takeover("a")).status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void aWorkerThatDiedHalfWayAndTheReaperMakeOneEscalation() {
    enqueue(job("t").id("a").maxAttempts(1).escalateTo(TO_ONCALL));
    Job running = claimed("a");
    // the dying worker got as far as enqueueing the job that takes over, which even ran
    broker().enqueue(List.of(TO_ONCALL.requestFor(running)));
    Job escalated = broker().claim("oncall", WORKER, 1, LEASE).get(0);
    broker().complete("oncall", escalated.id(), escalated.token(), null);
    advance(LEASE.plusMillis(1));

    broker().reapExpired(QUEUE, new RetryPolicy(1, Backoff.fixed(Duration.ZERO)), 10);

    assertThat(stored("a").escalatedTo()).isEqualTo("oncall/" + escalated.id());
    assertThat(broker().stats("oncall").totalEnqueued()).as("escalated once").isOne();
    assertThat(stored("oncall", escalated.id()).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  default void anEscalationIsAnEventNamingTheNewJob() {
    enqueue(job("t").id("a").maxAttempts(1).escalateTo(TO_ONCALL));
    Job j = claimed("a");

    broker().fail(QUEUE, "a", j.token(), Failure.of("E", "x"), null);

    JobEvent last = broker().recentEvents(QUEUE, 1).get(0);
    assertThat(last.type()).isEqualTo(JobEvent.Type.ESCALATED);
    assertThat(last.jobId()).isEqualTo("a");
    assertThat(last.details()).containsEntry("to", "oncall/" + takeover("a"));
  }
}
