package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jobs that wait for others: BLOCKED until the last parent completes, then WAITING (or DELAYED
 * until their own run-at); CANCELLED, naming the parent, when a parent fails for good or is
 * cancelled, unless they run anyway.
 */
public interface DependencyContract extends BrokerUnderTest {
  /** The error class of a child cancelled because a parent ended otherwise (docs/PROTOCOL.md). */
  String PARENT_FAILED = "dev.jobq.ParentFailed";

  private void complete(String id) {
    assertThat(broker().complete(QUEUE, id, stored(id).token(), null)).as(id).isTrue();
  }

  @Test
  default void aChildIsBlockedUntilItsLastParentCompletes() {
    enqueued("a");
    enqueued("b");
    EnqueueResult child = enqueue(job("t").id("c").dependsOn("a", "b"));

    assertThat(child.status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(child.position()).isEqualTo(-1);
    assertThat(stored("c").dependsOn()).containsExactly("a", "b");
    assertThat(claimIds(10)).containsExactly("a", "b");
    complete("a");
    assertThat(statusOf("c")).isEqualTo(JobStatus.BLOCKED);
    complete("b");
    assertThat(statusOf("c")).isEqualTo(JobStatus.WAITING);
    assertThat(claimIds(10)).containsExactly("c");
  }

  @Test
  default void aGraphRunsEachJobAfterItsParents() {
    List<EnqueueResult> r = client().enqueueGraph(List.of(
        job("t").id("d").dependsOn("b", "c").build(), job("t").id("c").dependsOn("a").build(),
        job("t").id("b").dependsOn("a").build(), job("t").id("a").build()));

    assertThat(r).extracting(EnqueueResult::status).containsExactly(
        JobStatus.BLOCKED, JobStatus.BLOCKED, JobStatus.BLOCKED, JobStatus.WAITING);
    assertThat(broker().stats(QUEUE).blocked()).isEqualTo(3);
    assertThat(claimIds(10)).containsExactly("a");
    complete("a");
    assertThat(claimIds(10)).containsExactlyInAnyOrder("b", "c");
    complete("b");
    assertThat(claimIds(10)).isEmpty();
    complete("c");
    assertThat(claimIds(10)).containsExactly("d");
  }

  @Test
  default void aGraphAnswersADuplicateOfAUniquenessKeyWithTheJobHoldingIt() {
    List<EnqueueResult> r = client().enqueueGraph(List.of(
        job("t").id("first").unique("k", Duration.ofMinutes(5)).build(),
        job("t").id("second").unique("k", Duration.ofMinutes(5)).build(),
        job("t").id("child").dependsOn("second").build()));

    assertThat(r).extracting(EnqueueResult::jobId).containsExactly("first", "first", "child");
    assertThat(r).extracting(EnqueueResult::created).containsExactly(true, false, true);
  }

  @Test
  default void aDeadLetteredParentCancelsItsChildrenAndTheirsNamingIt() {
    client().enqueueGraph(List.of(job("t").id("p").maxAttempts(1).build(),
        job("t").id("c").dependsOn("p").build(), job("t").id("g").dependsOn("c").build()));
    Job p = claimed("p");

    broker().fail(QUEUE, "p", p.token(), Failure.of("E", "broken"), null);

    Job child = stored("c");
    assertThat(child.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(child.errorClass()).isEqualTo(PARENT_FAILED);
    assertThat(child.error()).isEqualTo("parent p ended FAILED");
    assertThat(stored("g").status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(stored("g").error()).isEqualTo("parent c ended CANCELLED");
    assertThat(broker().stats(QUEUE).blocked()).isZero();
  }

  @Test
  default void aChildThatRunsAnywayRunsOnceItsParentsHaveEnded() {
    client().enqueueGraph(List.of(job("t").id("p").maxAttempts(1).build(),
        job("t").id("q").build(),
        job("t").id("anyway").dependsOn("p", "q").runEvenIfParentsFail().build()));
    Job p = claimed("p");
    Job q = claimed("q");

    broker().fail(QUEUE, "p", p.token(), Failure.of("E", "broken"), null);
    assertThat(statusOf("anyway")).isEqualTo(JobStatus.BLOCKED);
    broker().complete(QUEUE, "q", q.token(), null);

    assertThat(statusOf("anyway")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void aParentThatFailsForGoodAgainAfterARetryCountsOnceForAChildThatRunsAnyway() {
    client().enqueueGraph(List.of(job("t").id("p").maxAttempts(1).build(),
        job("t").id("q").delay(Duration.ofMinutes(5)).build(),
        job("t").id("anyway").dependsOn("p", "q").runEvenIfParentsFail().build()));
    broker().fail(QUEUE, "p", claimed("p").token(), Failure.of("E", "x"), null);
    assertThat(broker().retryFailed(QUEUE, List.of("p"))).isOne();
    broker().fail(QUEUE, "p", claimed("p").token(), Failure.of("E", "x"), null);

    assertThat(statusOf("anyway")).as("q has not ended").isEqualTo(JobStatus.BLOCKED);
  }

  @Test
  default void aChildOfFinishedParentsIsReadyOrCancelledAtOnce() {
    completedJob("done");
    deadLetteredJob("gone");
    advance(Duration.ofSeconds(5));

    EnqueueResult ready = enqueue(job("t").id("ready").dependsOn("done"));
    EnqueueResult doomed = enqueue(job("t").id("doomed").dependsOn("done", "gone"));

    assertThat(ready.status()).isEqualTo(JobStatus.WAITING);
    assertThat(stored("ready").enqueuedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(doomed.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(stored("doomed").error()).isEqualTo("parent gone ended FAILED");
  }

  @Test
  default void aDelayedChildKeepsItsDelayOnceUnblocked() {
    enqueued("p");
    enqueue(job("t").id("c").dependsOn("p").delay(Duration.ofMinutes(5)));
    claimed("p");

    complete("p");

    assertThat(statusOf("c")).isEqualTo(JobStatus.DELAYED);
    assertThat(claim(1)).isEmpty();
    advance(Duration.ofMinutes(5));
    assertThat(claimIds(1)).containsExactly("c");
  }

  @Test
  default void anUnknownParentRefusesTheWholeBatchNamingIt() {
    List<JobRequest> batch =
        List.of(job("t").id("ok").build(), job("t").id("c").dependsOn("nope").build());

    assertThatThrownBy(() -> client().enqueueAll(batch))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("nope");

    assertThat(broker().get(QUEUE, "ok")).isEmpty();
    assertThat(broker().stats(QUEUE).totalEnqueued()).isZero();
  }

  @Test
  default void aParentEarlierInTheSameBatchCounts() {
    List<EnqueueResult> r = client().enqueueAll(List.of(job("t").id("p").build(),
        job("t").id("c").dependsOn("p").build()));

    assertThat(r).extracting(EnqueueResult::status)
        .containsExactly(JobStatus.WAITING, JobStatus.BLOCKED);
  }

  @Test
  default void aParentListsItsChildrenBeforeAndAfterItEndsEachOnce() {
    enqueue(job("t").id("p").maxAttempts(1));
    enqueue(job("t").id("c1").dependsOn("p"));
    enqueue(job("t").id("c2").dependsOn("p"));
    assertThat(stored("p").children()).containsExactly("c1", "c2");

    broker().fail(QUEUE, "p", claimed("p").token(), Failure.of("E", "no"), null);
    assertThat(stored("p").children()).as("after it failed").containsExactly("c1", "c2");
    broker().retryFailed(QUEUE, List.of("p"));
    enqueue(job("t").id("c3").dependsOn("p"));
    assertThat(stored("p").children()).containsExactly("c1", "c2", "c3");
    complete(claimed("p").id());

    assertThat(stored("p").children()).as("after it completed").containsExactly("c1", "c2", "c3");
    assertThat(statusOf("c3")).isEqualTo(JobStatus.WAITING);
    assertThat(stored("c1").children()).isEmpty();
  }
}
