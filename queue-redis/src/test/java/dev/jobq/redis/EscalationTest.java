package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EscalationTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Escalation TO_ONCALL = new Escalation("page.human", "oncall", null);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** The id of the job that takes over from {@code id}, as Escalation names it. */
  private String takeover(String id) {
    return id + "/escalated-" + f.client.require("default", id).createdAt().toEpochMilli();
  }

  private Job claim(String queue) {
    return f.broker.claim(queue, "w", 1, LEASE).get(0);
  }

  @Test
  void exhaustedAttemptsHandTheJobToAHigherPriorityJobElsewhereLinkedBothWays() {
    String id = f.client.enqueue(job("sync.crm").payload("{\"account\":7}").maxAttempts(2)
        .header("tenant", "acme").escalateTo(TO_ONCALL).build()).jobId();
    Job first = claim("default");
    assertThat(f.broker.fail("default", id, first.token(), Failure.of("E", "timeout"),
        Duration.ofSeconds(1))).isEqualTo(FailOutcome.RETRY_SCHEDULED);
    f.clock.advance(Duration.ofSeconds(1));
    Job last = claim("default");

    FailOutcome outcome = f.broker.fail("default", id, last.token(),
        Failure.of("java.io.IOException", "crm down"), Duration.ofSeconds(1));

    assertThat(outcome).isEqualTo(FailOutcome.ESCALATED);
    Job original = f.client.require("default", id);
    assertThat(original.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(original.escalatedTo()).isEqualTo("oncall/" + takeover(id));
    assertThat(original.error()).isEqualTo("crm down");
    assertThat(f.broker.stats("default").failed()).as("not dead-lettered").isZero();
    Job next = f.client.require("oncall", takeover(id));
    assertThat(next.type()).isEqualTo("page.human");
    assertThat(next.priority()).isEqualTo(Priority.HIGH);
    assertThat(next.status()).isEqualTo(JobStatus.WAITING);
    assertThat(next.payload()).isEqualTo("{\"account\":7}");
    assertThat(next.headers()).containsEntry("tenant", "acme")
        .containsEntry(Escalation.FROM_HEADER, "default/" + id);
    assertThat(f.client.recentEvents("default", 1).get(0)).satisfies(e -> {
      assertThat(e.type()).isEqualTo(JobEvent.Type.ESCALATED);
      assertThat(e.details()).containsEntry("to", "oncall/" + takeover(id));
    });
  }

  @Test
  void aPermanentFailureEscalatesAtOnceAndAJobWithoutEscalationIsDeadLettered() {
    String esc = f.client.enqueue(job("a").maxAttempts(5)
        .escalateTo(new Escalation("a.manual", null, Priority.CRITICAL)).build()).jobId();
    String plain = f.client.enqueue(job("b").maxAttempts(1).build()).jobId();

    Job j = claim("default");
    assertThat(f.broker.fail("default", esc, j.token(), Failure.of("E", "bad input"), null))
        .isEqualTo(FailOutcome.ESCALATED);
    Job p = claim("default");
    assertThat(p.id()).as("critical, same queue").isEqualTo(takeover(esc));
    Job q = claim("default");
    assertThat(f.broker.fail("default", plain, q.token(), Failure.of("E", "x"), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);
  }

  @Test
  void aWorkerDyingBetweenEnqueueingTheEscalationAndEndingTheOriginalMakesOneEscalation() {
    String id = f.client.enqueue(job("sync.crm").maxAttempts(1).escalateTo(TO_ONCALL).build())
        .jobId();
    Job running = claim("default");
    // the dying worker got as far as the first step; the escalated job even ran already
    f.broker.enqueue(List.of(TO_ONCALL.requestFor(running)));
    Job escalated = claim("oncall");
    f.broker.complete("oncall", escalated.id(), escalated.token(), null);

    f.clock.advance(LEASE.plusSeconds(1));
    f.broker.reapExpired("default", new RetryPolicy(1, Backoff.fixed(Duration.ofSeconds(1))), 10);

    Job original = f.client.require("default", id);
    assertThat(original.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(original.escalatedTo()).isEqualTo("oncall/" + escalated.id());
    assertThat(f.broker.stats("oncall").totalEnqueued()).as("escalated once").isEqualTo(1);
    assertThat(f.client.require("oncall", escalated.id()).status()).isEqualTo(JobStatus.COMPLETED);
  }
}
