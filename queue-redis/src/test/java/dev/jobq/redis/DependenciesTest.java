package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DependenciesTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private JobStatus status(String id) {
    return f.client.require("default", id).status();
  }

  private List<String> claimIds() {
    return f.broker.claim("default", "w", 10, LEASE).stream().map(Job::id).toList();
  }

  private void complete(String id) {
    Job j = f.client.require("default", id);
    assertThat(f.broker.complete("default", id, j.token(), null)).isTrue();
  }

  private void deadLetter(String id) {
    Job j = f.client.require("default", id);
    f.broker.fail("default", id, j.token(), Failure.of("E", "broken"), null);
  }

  /** A finished job's id sent again, to run again. */
  private void enqueueAgain(JobRequest.Builder request) {
    assertThat(f.client.enqueue(request.replaceFinished().build()).created()).isTrue();
  }

  @Test
  void aChildCancelledAndEnqueuedAgainWithTheSameParentsStillWaitsForEach() {
    f.client.enqueue(job("a").id("a").build());
    f.client.enqueue(job("b").id("b").build());
    f.client.enqueue(job("c").id("c").dependsOn("a", "b").build());
    f.client.cancel("default", "c");
    enqueueAgain(job("c").id("c").dependsOn("a", "b"));
    assertThat(f.stored("default", "a").get("children")).isEqualTo("c");

    claimIds();
    complete("a");
    assertThat(status("c")).as("b has not completed").isEqualTo(JobStatus.BLOCKED);
    complete("b");
    assertThat(status("c")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void aChildEnqueuedAgainWithOtherParentsIgnoresTheParentItNoLongerHas() {
    f.client.enqueue(job("a").id("a").build());
    f.client.enqueue(job("b").id("b").build());
    f.client.enqueue(job("c").id("c").dependsOn("a").build());
    f.client.cancel("default", "c");
    enqueueAgain(job("c").id("c").dependsOn("b"));

    f.client.cancel("default", "a");
    assertThat(status("c")).as("a is no parent of this c").isEqualTo(JobStatus.BLOCKED);
    claimIds();
    complete("b");
    assertThat(status("c")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void aChildWhoseParentsAllCompletedWaitsFromItsEnqueue() {
    f.client.enqueue(job("a").id("a").build());
    claimIds();
    complete("a");
    f.clock.advance(Duration.ofSeconds(5));

    EnqueueResult child = f.client.enqueue(job("b").id("b").dependsOn("a").build());

    assertThat(child.status()).isEqualTo(JobStatus.WAITING);
    assertThat(f.client.require("default", "b").enqueuedAt())
        .isEqualTo(Fixture.START.plusSeconds(5));
  }

  @Test
  void aBatchOfChildrenOfACancelledParentPastItsRetentionIsCancelledWhole() {
    try (Fixture g = new Fixture(RedisConfig.builder().cancelledRetention(Duration.ofMinutes(1)))) {
      g.client.enqueue(job("p").id("p").build());
      g.client.cancel("default", List.of("p"));
      g.clock.advance(Duration.ofHours(1));

      List<EnqueueResult> r = g.client.enqueueAll(List.of(
          job("c").id("c1").dependsOn("p").build(), job("c").id("c2").dependsOn("p").build()));

      assertThat(r).extracting(EnqueueResult::status)
          .containsExactly(JobStatus.CANCELLED, JobStatus.CANCELLED);
      assertThat(g.client.get("default", "p")).as("trimmed after the batch").isEmpty();
    }
  }

  @Test
  void diamondRunsABeforeBAndCInParallelAndDAfterBoth() {
    JobRequest a = job("a").id("a").build();
    JobRequest b = job("b").id("b").dependsOn("a").build();
    JobRequest c = job("c").id("c").dependsOn("a").build();
    JobRequest d = job("d").id("d").dependsOn("b", "c").build();

    // children first on purpose: the graph is written parents first whatever the order
    List<EnqueueResult> results = f.client.enqueueGraph(List.of(d, c, b, a));

    assertThat(results).extracting(EnqueueResult::jobId).containsExactly("d", "c", "b", "a");
    assertThat(results).extracting(EnqueueResult::status).containsExactly(
        JobStatus.BLOCKED, JobStatus.BLOCKED, JobStatus.BLOCKED, JobStatus.WAITING);
    assertThat(f.broker.stats("default").blocked()).isEqualTo(3);
    assertThat(f.client.require("default", "b").runAt()).as("run at of a job without delay").isNull();
    assertThat(claimIds()).containsExactly("a");
    complete("a");
    assertThat(claimIds()).containsExactlyInAnyOrder("b", "c");
    complete("b");
    assertThat(status("d")).isEqualTo(JobStatus.BLOCKED);
    assertThat(claimIds()).isEmpty();
    complete("c");
    assertThat(status("d")).isEqualTo(JobStatus.WAITING);
    assertThat(claimIds()).containsExactly("d");
    assertThat(f.client.require("default", "d").dependsOn()).containsExactly("b", "c");
    assertThat(f.broker.tools().doctor("default", false).findings()).isEmpty();
  }

  @Test
  void aDeadLetteredParentCancelsItsChildrenAndTheirChildrenNamingIt() {
    f.client.enqueueGraph(List.of(job("p").id("p").maxAttempts(1).build(),
        job("c").id("c").dependsOn("p").build(),
        job("g").id("g").dependsOn("c").build(),
        job("anyway").id("anyway").dependsOn("p").runEvenIfParentsFail().build()));

    claimIds();
    deadLetter("p");

    Job child = f.client.require("default", "c");
    assertThat(child.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(child.errorClass()).isEqualTo("dev.jobq.ParentFailed");
    assertThat(child.error()).isEqualTo("parent p ended FAILED");
    assertThat(f.client.require("default", "g").error()).isEqualTo("parent c ended CANCELLED");
    assertThat(status("anyway")).isEqualTo(JobStatus.WAITING);
    assertThat(f.broker.stats("default").blocked()).isZero();
    assertThat(f.broker.tools().doctor("default", false).findings()).isEmpty();
  }

  @Test
  void aParentDeadLetteredRetriedAndDeadLetteredAgainCountsOnceForAChildThatRunsAnyway() {
    f.client.enqueueGraph(List.of(job("p").id("p").maxAttempts(1).build(),
        job("q").id("q").delay(Duration.ofMinutes(5)).build(),
        job("anyway").id("anyway").dependsOn("p", "q").runEvenIfParentsFail().build()));
    claimIds();
    deadLetter("p");
    assertThat(f.client.retryFailed("default", List.of("p"))).isEqualTo(1);
    assertThat(claimIds()).containsExactly("p");
    deadLetter("p");

    assertThat(status("q")).isEqualTo(JobStatus.DELAYED);
    assertThat(status("anyway")).isEqualTo(JobStatus.BLOCKED);
  }

  @Test
  void cancellingAParentCancelsItsWaitingChildren() {
    f.client.enqueueGraph(List.of(job("p").id("p").build(), job("c").id("c").dependsOn("p").build()));

    f.client.cancel("default", "p");

    assertThat(status("c")).isEqualTo(JobStatus.CANCELLED);
    assertThat(f.client.require("default", "c").error()).isEqualTo("parent p ended CANCELLED");
  }

  @Test
  void aChildOfFinishedParentsIsReadyOrCancelledAtOnce() {
    f.client.enqueue(job("p").id("p").build());
    claimIds();
    complete("p");
    f.client.enqueue(job("gone").id("gone").maxAttempts(1).build());
    claimIds();
    deadLetter("gone");

    assertThat(f.client.enqueue(job("c").dependsOn("p").build()).status())
        .isEqualTo(JobStatus.WAITING);
    EnqueueResult doomed = f.client.enqueue(job("c").dependsOn("p", "gone").build());
    assertThat(doomed.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(f.client.require("default", doomed.jobId()).error())
        .isEqualTo("parent gone ended FAILED");
  }

  @Test
  void aDelayedChildKeepsItsDelayOnceUnblocked() {
    f.client.enqueueGraph(List.of(job("p").id("p").build(),
        job("c").id("c").dependsOn("p").delay(Duration.ofMinutes(5)).build()));
    claimIds();

    complete("p");

    assertThat(status("c")).isEqualTo(JobStatus.DELAYED);
    assertThat(claimIds()).isEmpty();
    f.clock.advance(Duration.ofMinutes(6));
    assertThat(claimIds()).containsExactly("c");
  }

  @Test
  void anUnknownParentRefusesTheWholeBatchNamingIt() {
    List<JobRequest> batch = List.of(job("ok").build(), job("c").id("c").dependsOn("nope").build());

    assertThatThrownBy(() -> f.client.enqueueAll(batch))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("job c depends on nope, which is neither in queue 'default'")
        .hasMessageContaining("nothing was enqueued");
    assertThat(f.broker.stats("default").totalEnqueued()).isZero();
  }

  @Test
  void aCycleIsRefusedBeforeAnythingIsWritten() {
    List<JobRequest> graph = List.of(job("a").id("a").dependsOn("c").build(),
        job("b").id("b").dependsOn("a").build(), job("c").id("c").dependsOn("b").build());

    assertThatThrownBy(() -> f.client.enqueueGraph(graph))
        .isInstanceOf(InvalidJobException.class)
        .hasMessage("the dependencies form a cycle: a -> c -> b -> a; nothing was enqueued");
    assertThat(f.client.queues()).doesNotContain("default");
  }

  @Test
  void aGraphAcrossQueuesAndAJobDependingOnItselfAreRefused() {
    assertThatThrownBy(() -> f.client.enqueueGraph(List.of(job("a").id("a").build(),
        job("b").queue("other").dependsOn("a").build())))
        .hasMessageContaining("a graph lives in one queue");
    assertThatThrownBy(() -> job("a").id("a").dependsOn("a").build())
        .hasMessage("job a cannot depend on itself");
  }
}
