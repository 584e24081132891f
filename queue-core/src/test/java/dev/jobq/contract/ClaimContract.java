package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code claim}: priority then FIFO, due delayed jobs promoted, pause, the batch size, lease
 * tokens and attempts; and {@code awaitWork} / {@code wakeIdleWorkers}, the idle wait.
 */
public interface ClaimContract extends BrokerUnderTest {

  private List<String> claimTypes(int max) {
    return claim(max).stream().map(Job::type).toList();
  }

  @Test
  default void claimTakesTheHighestPriorityFirstAndFifoWithinOne() {
    enqueue(job("normal-1"));
    enqueue(job("low-1").priority(Priority.LOW));
    enqueue(job("normal-2"));
    enqueue(job("critical-1").priority(Priority.CRITICAL));
    enqueue(job("high-1").priority(Priority.HIGH));
    enqueue(job("critical-2").priority(Priority.CRITICAL));

    assertThat(claimTypes(10))
        .containsExactly("critical-1", "critical-2", "high-1", "normal-1", "normal-2", "low-1");
  }

  @Test
  default void claimTakesAtMostTheAskedNumber() {
    for (int i = 0; i < 5; i++) {
      enqueue(job("t" + i));
    }
    assertThat(claimTypes(3)).containsExactly("t0", "t1", "t2");
    assertThat(claimTypes(3)).containsExactly("t3", "t4");
    assertThat(claimTypes(3)).isEmpty();
  }

  @Test
  default void claimOfAnEmptyOrUnknownQueueAnswersNothing() {
    assertThat(claim(5)).isEmpty();
    assertThat(broker().claim("never-used", WORKER, 5, LEASE)).isEmpty();
  }

  @Test
  default void aClaimedJobIsActiveWithItsFirstAttemptAWorkerAndAToken() {
    enqueued("a");
    advance(Duration.ofSeconds(3));

    Job claimed = claimed("a");

    assertThat(claimed.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.token()).isPositive();
    assertThat(claimed.worker()).isEqualTo(WORKER);
    assertThat(claimed.startedAt()).isEqualTo(START.plusSeconds(3));
    Job read = stored("a");
    assertThat(read.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(read.token()).isEqualTo(claimed.token());
    assertThat(read.attempt()).isEqualTo(1);
    assertThat(read.worker()).isEqualTo(WORKER);
  }

  @Test
  default void aDelayedJobIsNotClaimedBeforeItIsDue() {
    enqueue(job("a").id("d").delay(Duration.ofSeconds(10)));

    advance(Duration.ofMillis(9_999));
    assertThat(claim(1)).isEmpty();
    assertThat(statusOf("d")).isEqualTo(JobStatus.DELAYED);

    advance(Duration.ofMillis(1));
    assertThat(claimIds(1)).containsExactly("d");
  }

  @Test
  default void dueDelayedJobsArePromotedInDueOrderBeforeTheClaim() {
    enqueue(job("later").delay(Duration.ofSeconds(20)));
    enqueue(job("sooner").delay(Duration.ofSeconds(10)));
    enqueue(job("not-yet").delay(Duration.ofHours(1)));

    advance(Duration.ofSeconds(30));

    assertThat(claimTypes(10)).containsExactly("sooner", "later");
    assertThat(broker().stats(QUEUE).delayed()).isEqualTo(1);
  }

  @Test
  default void aPromotedJobKeepsItsPriority() {
    enqueue(job("normal"));
    enqueue(job("urgent-later").priority(Priority.CRITICAL).delay(Duration.ofSeconds(5)));
    advance(Duration.ofSeconds(5));

    assertThat(claimTypes(2)).containsExactly("urgent-later", "normal");
  }

  @Test
  default void aPausedQueueGivesNothingUntilResumed() {
    enqueued("a");
    broker().pause(QUEUE);

    assertThat(claim(1)).isEmpty();
    assertThat(broker().stats(QUEUE).paused()).isTrue();
    assertThat(statusOf("a")).isEqualTo(JobStatus.WAITING);

    broker().resume(QUEUE);
    assertThat(broker().stats(QUEUE).paused()).isFalse();
    assertThat(claimIds(1)).containsExactly("a");
  }

  @Test
  default void pauseHoldsOnlyItsOwnQueue() {
    enqueue(job("a").queue("emails"));
    enqueue(job("b").queue("reports"));
    broker().pause("emails");

    assertThat(broker().claim("emails", WORKER, 1, LEASE)).isEmpty();
    assertThat(broker().claim("reports", WORKER, 1, LEASE)).extracting(Job::type)
        .containsExactly("b");
  }

  @Test
  default void leaseTokensOfAnIdGrowWithEveryClaimAndNeverRepeat() {
    enqueue(job("t").id("a").maxAttempts(5));
    List<Long> tokens = new ArrayList<>();
    Job j = claimed("a");
    tokens.add(j.token());
    broker().release(QUEUE, "a", j.token());
    j = claimed("a");
    tokens.add(j.token());
    broker().fail(QUEUE, "a", j.token(), Failure.of("E", "x"), Duration.ZERO);
    j = claimed("a");
    tokens.add(j.token());
    advance(LEASE.plusMillis(1));
    broker().reapExpired(QUEUE, RetryPolicy.DEFAULT, 10);
    advance(Duration.ofMinutes(5));
    j = claimed("a");
    tokens.add(j.token());

    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  @Test
  default void aReplacedIdIsClaimedWithAGreaterTokenThanTheJobItReplaced() {
    Job first = completedJob("a");

    enqueue(job("t").id("a").replaceFinished());

    assertThat(claimed("a").token()).isGreaterThan(first.token());
  }

  @Test
  default void eachClaimCountsAnAttempt() {
    enqueue(job("t").id("a").maxAttempts(3));
    Job first = claimed("a");
    broker().fail(QUEUE, "a", first.token(), Failure.of("E", "x"), Duration.ZERO);

    Job second = claimed("a");

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(stored("a").attempt()).isEqualTo(2);
  }

  @Test
  default void anIdleWaitEndsWhenAJobIsEnqueued() throws Exception {
    claim(1);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> enqueued("a"));

    assertThat(broker().awaitWork(List.of("other", QUEUE), Duration.ofSeconds(20))).isTrue();
    producer.get();
    assertThat(claimIds(1)).containsExactly("a");
  }

  @Test
  default void anIdleWaitTimesOutWithoutWork() throws Exception {
    assertThat(broker().awaitWork(List.of("never-used"), Duration.ofMillis(50))).isFalse();
  }

  @Test
  default void anIdleWaitReturnsAtOnceWhenADelayedJobIsDue() throws Exception {
    enqueue(job("a").delay(Duration.ofSeconds(5)));
    claim(1);
    advance(Duration.ofSeconds(5));

    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofSeconds(20))).isTrue();
  }

  @Test
  default void aWakeUpHandedOnEndsAnotherIdleWaitWhereJobsWait() throws Exception {
    enqueued("a");
    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofMillis(50))).as("taken").isTrue();

    broker().wakeIdleWorkers(List.of(QUEUE, "empty"));

    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofSeconds(20))).isTrue();
  }
}
