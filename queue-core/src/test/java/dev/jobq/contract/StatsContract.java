package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.Latency;
import dev.jobq.Limit;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code stats}: every figure of {@link QueueStats} after a known sequence. Latency percentiles
 * are by nearest rank over the samples; rates count completions and failed attempts.
 */
public interface StatsContract extends BrokerUnderTest {

  @Test
  default void aQueueWithoutJobsHasZeroFiguresAndEveryPriority() {
    QueueStats s = broker().stats("empty");

    assertThat(s.queue()).isEqualTo("empty");
    assertThat(s.paused()).isFalse();
    assertThat(s.waiting()).isEqualTo(Map.of(Priority.CRITICAL, 0L, Priority.HIGH, 0L,
        Priority.NORMAL, 0L, Priority.LOW, 0L));
    assertThat(List.of(s.delayed(), s.active(), s.failed(), s.completed(), s.cancelled(),
        s.blocked(), s.totalEnqueued(), s.totalCompleted(), s.totalFailedAttempts(),
        s.totalDeadLettered(), s.totalOrphans(), s.totalRetried(), s.totalCancelled(),
        s.totalStalled(), s.totalReleased(), s.completedLastMinute(), s.completedLastHour(),
        s.maxDepth())).containsOnly(0L);
    assertThat(s.oldestWaiting()).isEqualTo(Duration.ZERO);
    assertThat(List.of(s.jobsPerMinute1(), s.jobsPerMinute5(), s.jobsPerMinute15(),
        s.failureRate())).containsOnly(0.0);
    assertThat(s.waitTime()).isEqualTo(Latency.NONE);
    assertThat(s.runTime()).isEqualTo(Latency.NONE);
    assertThat(s.heldBack()).isEmpty();
  }

  @Test
  default void everyFigureAfterAKnownSequence() {
    for (String id : List.of("r1", "r2", "r3", "r4")) {
      enqueue(job("t").id(id).priority(Priority.CRITICAL).maxAttempts(id.equals("r4") ? 1 : 3));
    }
    enqueue(job("t").id("h1").priority(Priority.HIGH));
    enqueue(job("t").id("h2").priority(Priority.HIGH));
    enqueue(job("t").id("l1").priority(Priority.LOW));
    enqueue(job("t").id("later").delay(Duration.ofHours(1)));
    enqueue(job("t").id("child").dependsOn("h1"));
    enqueued("gone");
    client().cancel(QUEUE, "gone");
    broker().setMaxDepth(QUEUE, 100);
    advance(Duration.ofSeconds(2));
    List<Job> running = claim(5); // r1..r4 and h1, each after 2 s of waiting
    advance(Duration.ofMillis(100));
    broker().complete(QUEUE, "r1", running.get(0).token(), null);
    broker().complete(QUEUE, "r2", running.get(1).token(), null);
    advance(Duration.ofMillis(300));
    broker().fail(QUEUE, "r3", running.get(2).token(), Failure.of("E", "x"), Duration.ofMinutes(1));
    broker().fail(QUEUE, "r4", running.get(3).token(), Failure.of("E", "x"), null);

    QueueStats s = broker().stats(QUEUE);

    assertThat(s.queue()).isEqualTo(QUEUE);
    assertThat(s.paused()).isFalse();
    assertThat(s.waiting()).isEqualTo(Map.of(Priority.CRITICAL, 0L, Priority.HIGH, 1L,
        Priority.NORMAL, 0L, Priority.LOW, 1L));
    assertThat(s.waitingTotal()).isEqualTo(2);
    assertThat(s.delayed()).as("later, and r3 backing off").isEqualTo(2);
    assertThat(s.active()).as("h1").isOne();
    assertThat(s.failed()).as("r4").isOne();
    assertThat(s.completed()).isEqualTo(2);
    assertThat(s.cancelled()).isOne();
    assertThat(s.blocked()).isOne();
    assertThat(s.totalEnqueued()).isEqualTo(10);
    assertThat(s.totalCompleted()).isEqualTo(2);
    assertThat(s.totalFailedAttempts()).isEqualTo(2);
    assertThat(s.totalDeadLettered()).isOne();
    assertThat(s.totalOrphans()).isZero();
    assertThat(s.totalRetried()).as("r3").isOne();
    assertThat(s.totalCancelled()).as("gone").isOne();
    assertThat(s.totalStalled()).isZero();
    assertThat(s.totalReleased()).isZero();
    assertThat(s.oldestWaiting()).as("h2 and l1, ready since the start")
        .isEqualTo(Duration.ofMillis(2400));
    assertThat(s.completedLastMinute()).isEqualTo(2);
    assertThat(s.completedLastHour()).isEqualTo(2);
    assertThat(s.jobsPerMinute1()).isCloseTo(2.0, within(0.1));
    assertThat(s.jobsPerMinute5()).isCloseTo(2.0 / 5, within(0.02));
    assertThat(s.jobsPerMinute15()).isCloseTo(2.0 / 15, within(0.01));
    assertThat(s.failureRate()).isEqualTo(0.5);
    assertThat(s.waitTime()).isEqualTo(new Latency(5, Duration.ofSeconds(2),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)));
    assertThat(s.runTime()).as("100, 100, 400 and 400 ms").isEqualTo(new Latency(4,
        Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(400),
        Duration.ofMillis(250)));
    assertThat(s.maxDepth()).isEqualTo(100);
    assertThat(s.heldBack()).isEmpty();
  }

  @Test
  default void theMeanRunTimeWeighsTheLongJobThatTheMedianIgnores() {
    for (String id : List.of("a", "b", "c", "d")) {
      enqueue(job("t").id(id));
    }
    List<Job> running = claim(4);
    advance(Duration.ofMillis(100));
    for (Job j : running.subList(0, 3)) {
      broker().complete(QUEUE, j.id(), j.token(), null);
    }
    advance(Duration.ofMillis(900));
    broker().complete(QUEUE, running.get(3).id(), running.get(3).token(), null);

    Latency run = broker().stats(QUEUE).runTime();

    assertThat(run.p50()).isEqualTo(Duration.ofMillis(100));
    assertThat(run.mean()).as("(3 x 100 + 1000) / 4 ms").isEqualTo(Duration.ofMillis(325));
  }

  @Test
  default void completionsLeaveTheLastMinuteButStayInTheLastHour() {
    completedJob("a");
    completedJob("b");

    advance(Duration.ofMinutes(2));
    QueueStats s = broker().stats(QUEUE);
    assertThat(s.completedLastMinute()).isZero();
    assertThat(s.completedLastHour()).isEqualTo(2);
    assertThat(s.jobsPerMinute1()).isZero();

    advance(Duration.ofMinutes(61));
    s = broker().stats(QUEUE);
    assertThat(s.completedLastHour()).isZero();
    assertThat(s.jobsPerMinute15()).isZero();
    assertThat(s.failureRate()).isZero();
    assertThat(s.totalCompleted()).as("counted for ever").isEqualTo(2);
    assertThat(s.completed()).as("still kept").isEqualTo(2);
  }

  @Test
  default void statsShowAPausedQueueAndTheLimitsThatHoldJobsBack() {
    broker().setLimit(QUEUE, Limit.running("deploy", 1));
    enqueue(job("deploy"));
    enqueue(job("deploy"));
    claim(2);

    assertThat(broker().stats(QUEUE).heldBack()).containsExactly("type deploy: at most 1 running");
    broker().pause(QUEUE);
    assertThat(broker().stats(QUEUE).paused()).isTrue();
  }

  @Test
  default void aReleasedJobCountsNoFailedAttemptAndARetriedOneIsNotDeadLetteredTwice() {
    enqueued("a");
    broker().release(QUEUE, "a", claimed("a").token());
    deadLetteredAhead("b");
    broker().retryFailed(QUEUE, List.of("b"));

    QueueStats s = broker().stats(QUEUE);
    assertThat(s.totalFailedAttempts()).isOne();
    assertThat(s.totalDeadLettered()).isOne();
    assertThat(s.failed()).isZero();
    assertThat(s.waitingTotal()).isEqualTo(2);
  }

  @Test
  default void releasedAndStalledJobsAreCountedForEver() {
    enqueued("a");
    broker().release(QUEUE, "a", claimed("a").token());
    enqueued("b");
    claimIds(2);
    advance(LEASE.plusMillis(1));
    broker().reapExpired(QUEUE, new RetryPolicy(3, Backoff.fixed(Duration.ofSeconds(10))), 100);

    QueueStats s = broker().stats(QUEUE);
    assertThat(s.totalReleased()).as("a, released").isOne();
    assertThat(s.totalStalled()).as("both claimed again, then their leases expired")
        .isEqualTo(2);
    assertThat(s.totalRetried()).as("a lost lease is an ordinary failed attempt").isEqualTo(2);
  }

  @Test
  default void theOldestWaitingJobAgesWithTheClockWhilePaused() {
    broker().pause(QUEUE);
    enqueue(job("t").id("old").priority(Priority.LOW));
    advance(Duration.ofSeconds(5));
    enqueue(job("t").id("new").priority(Priority.CRITICAL));
    advance(Duration.ofSeconds(1));

    assertThat(broker().stats(QUEUE).oldestWaiting()).as("old, though another comes first")
        .isEqualTo(Duration.ofSeconds(6));
  }

  private void deadLetteredAhead(String id) {
    enqueue(job("t").id(id).maxAttempts(1).priority(Priority.CRITICAL));
    Job j = claimed(id);
    broker().fail(QUEUE, id, j.token(), Failure.of("E", "x"), null);
  }
}
