package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.Backoff;
import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.QueueFullException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code enqueue}: ids, duplicates, delays, batches, the maximum depth and headers. */
public interface EnqueueContract extends BrokerUnderTest {

  @Test
  default void enqueueAnswersANewWaitingJobAndKeepsEveryFieldOfTheRequest() {
    EnqueueResult r = enqueue(job("email.send").id("e1").payload("{\"to\":\"ada\"}")
        .priority(Priority.LOW).maxAttempts(7).timeout(Duration.ofSeconds(30))
        .backoff(Backoff.fixed(Duration.ofSeconds(3))));

    assertThat(r).isEqualTo(new EnqueueResult("e1", QUEUE, true, JobStatus.WAITING, 0, null));
    Job j = stored("e1");
    assertThat(j.id()).isEqualTo("e1");
    assertThat(j.queue()).isEqualTo(QUEUE);
    assertThat(j.type()).isEqualTo("email.send");
    assertThat(j.payload()).isEqualTo("{\"to\":\"ada\"}");
    assertThat(j.priority()).isEqualTo(Priority.LOW);
    assertThat(j.status()).isEqualTo(JobStatus.WAITING);
    assertThat(j.maxAttempts()).isEqualTo(7);
    assertThat(j.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(j.backoff()).isEqualTo(Backoff.fixed(Duration.ofSeconds(3)));
    assertThat(j.createdAt()).isEqualTo(START);
    assertThat(j.enqueuedAt()).isEqualTo(START);
  }

  @Test
  default void aWaitingJobHasNoFieldThatDoesNotApplyYet() {
    Job j = stored(enqueued("a"));

    assertThat(j.attempt()).isZero();
    assertThat(j.token()).isZero();
    assertThat(j.backoff()).isNull();
    assertThat(j.timeout()).isNull();
    assertThat(j.runAt()).isNull();
    assertThat(j.startedAt()).isNull();
    assertThat(j.finishedAt()).isNull();
    assertThat(j.worker()).isNull();
    assertThat(j.errorClass()).isNull();
    assertThat(j.error()).isNull();
    assertThat(j.result()).isNull();
    assertThat(j.progress()).isNull();
    assertThat(j.dependsOn()).isEmpty();
    assertThat(j.headers()).isEmpty();
    assertThat(j.escalatedTo()).isNull();
  }

  @Test
  default void aJobWithoutAChosenIdGetsANewOneEachTime() {
    JobRequest first = job("a").build();
    JobRequest second = job("a").build();

    List<EnqueueResult> r = client().enqueueAll(List.of(first, second));

    assertThat(r).extracting(EnqueueResult::jobId).containsExactly(first.id(), second.id());
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(r).extracting(EnqueueResult::created).containsExactly(true, true);
  }

  @Test
  default void positionCountsEveryJobThatRunsBeforeIt() {
    enqueue(job("n1"));
    enqueue(job("n2"));
    EnqueueResult critical = enqueue(job("c").priority(Priority.CRITICAL));
    EnqueueResult low = enqueue(job("l").priority(Priority.LOW));
    EnqueueResult normal = enqueue(job("n3"));

    assertThat(critical.position()).isZero();
    assertThat(low.position()).isEqualTo(3);
    assertThat(normal.position()).isEqualTo(3);
  }

  @Test
  default void aChosenIdOfAnUnfinishedJobIsAnsweredWithThatJobAndWritesNothing() {
    EnqueueResult first = enqueue(job("a").id("order-42").payload("{\"v\":1}"));
    EnqueueResult again = enqueue(job("a").id("order-42").payload("{\"v\":2}"));

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.jobId()).isEqualTo("order-42");
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(again.position()).isZero();
    assertThat(stored("order-42").payload()).isEqualTo("{\"v\":1}");
    assertThat(broker().stats(QUEUE).totalEnqueued()).isEqualTo(1);
    assertThat(broker().stats(QUEUE).waitingTotal()).isEqualTo(1);
  }

  @Test
  default void aChosenIdOfAnActiveJobIsAnsweredAsActive() {
    enqueued("a");
    Job running = claimed("a");

    EnqueueResult again = enqueue(job("t").id("a"));

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(again.position()).isEqualTo(-1);
    assertThat(stored("a").token()).isEqualTo(running.token());
  }

  @ParameterizedTest
  @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
  default void aResentFinishedJobIsAnsweredAndRunsNothingAgain(JobStatus end) {
    switch (end) {
      case COMPLETED -> completedJob("nightly");
      case FAILED -> deadLetteredJob("nightly");
      default -> cancelledJob("nightly");
    }

    EnqueueResult again = enqueue(job("t").id("nightly"));

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(end);
    assertThat(again.position()).isEqualTo(-1);
    assertThat(statusOf("nightly")).isEqualTo(end);
    assertThat(claim(1)).isEmpty();
    assertThat(broker().stats(QUEUE).totalEnqueued()).isEqualTo(1);
  }

  @Test
  default void replaceFinishedRunsAFinishedJobsIdAgainAsANewJob() {
    completedJob("nightly");

    EnqueueResult again = enqueue(job("t").id("nightly").replaceFinished());

    assertThat(again.created()).isTrue();
    Job fresh = stored("nightly");
    assertThat(fresh.status()).isEqualTo(JobStatus.WAITING);
    assertThat(fresh.attempt()).isZero();
    assertThat(fresh.result()).isNull();
    assertThat(fresh.finishedAt()).isNull();
    assertThat(claimIds(1)).containsExactly("nightly");
  }

  @Test
  default void replaceFinishedLeavesAnUnfinishedJobAsItIs() {
    enqueue(job("a").id("order-7").payload("{\"v\":1}"));

    EnqueueResult again = enqueue(job("a").id("order-7").payload("{\"v\":2}").replaceFinished());

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(stored("order-7").payload()).isEqualTo("{\"v\":1}");
  }

  @Test
  default void aDelayedJobIsDelayedUntilItsRunAtWithThatWaitEstimated() {
    EnqueueResult r = enqueue(job("a").id("later").delay(Duration.ofMinutes(10)));

    assertThat(r.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(r.position()).isEqualTo(-1);
    assertThat(r.estimatedWait()).isEqualTo(Duration.ofMinutes(10));
    assertThat(stored("later").runAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(claim(1)).isEmpty();
  }

  @Test
  default void aRunAtAheadDelaysTheJobAndOneInThePastRunsNow() {
    EnqueueResult ahead = enqueue(job("a").runAt(START.plusSeconds(90)));
    EnqueueResult past = enqueue(job("a").runAt(START.minusSeconds(60)));

    assertThat(ahead.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(stored(ahead.jobId()).runAt()).isEqualTo(START.plusSeconds(90));
    assertThat(past.status()).isEqualTo(JobStatus.WAITING);
    assertThat(claimIds(5)).containsExactly(past.jobId());
  }

  @Test
  default void aBatchAnswersEachJobInOrderAcrossQueues() {
    List<JobRequest> batch = List.of(job("a").id("a1").build(),
        job("b").id("b1").queue("other").build(), job("a").id("a2").build());

    List<EnqueueResult> r = client().enqueueAll(batch);

    assertThat(r).extracting(EnqueueResult::jobId).containsExactly("a1", "b1", "a2");
    assertThat(r).extracting(EnqueueResult::queue).containsExactly(QUEUE, "other", QUEUE);
    assertThat(r).extracting(EnqueueResult::position).containsExactly(0L, 0L, 1L);
    assertThat(stored("other", "b1").type()).isEqualTo("b");
  }

  @Test
  default void aBatchWithABadMemberIsRefusedWhole() {
    List<JobRequest> batch = List.of(job("a").id("good").build(),
        job("b").id("bad").payload("{not json").build());

    assertThatThrownBy(() -> client().enqueueAll(batch)).isInstanceOf(InvalidJobException.class);

    assertThat(broker().get(QUEUE, "good")).isEmpty();
    assertThat(broker().stats(QUEUE).totalEnqueued()).isZero();
  }

  @Test
  default void aFullQueueRefusesAnEnqueueAndABatchWholeWritingNothing() {
    broker().setMaxDepth(QUEUE, 3);
    enqueued("one");
    enqueue(job("t").id("two").delay(Duration.ofMinutes(1)));

    List<JobRequest> batch = List.of(job("t").id("b1").build(), job("t").id("b2").build());
    assertThatThrownBy(() -> client().enqueueAll(batch)).isInstanceOf(QueueFullException.class);

    assertThat(broker().get(QUEUE, "b1")).isEmpty();
    assertThat(broker().stats(QUEUE).totalEnqueued()).isEqualTo(2);
    assertThat(enqueue(job("t").id("one")).created()).as("a duplicate adds nothing").isFalse();
    assertThat(enqueued("three")).isEqualTo("three");
    assertThatThrownBy(() -> enqueued("four")).isInstanceOf(QueueFullException.class);
    assertThat(broker().stats(QUEUE).maxDepth()).isEqualTo(3);
  }

  @Test
  default void theMaximumDepthCountsWaitingAndDelayedJobsOnlyAndZeroLiftsIt() {
    broker().setMaxDepth(QUEUE, 1);
    enqueued("running");
    claimed("running");
    enqueued("waits");
    assertThatThrownBy(() -> enqueue(job("t").delay(Duration.ofMinutes(1))))
        .isInstanceOf(QueueFullException.class);

    broker().setMaxDepth(QUEUE, 0);

    assertThat(client().enqueueAll(List.of(job("t").build(), job("t").build()))).hasSize(2);
    assertThat(broker().stats(QUEUE).maxDepth()).isZero();
  }

  @Test
  default void headersTravelWithTheJob() {
    enqueue(job("a").id("h").header("trace-id", "abc123").header("tenant", "acme"));

    assertThat(stored("h").headers())
        .isEqualTo(Map.of("trace-id", "abc123", "tenant", "acme"));
    assertThat(claimed("h").headers()).containsEntry("tenant", "acme");
  }

  @Test
  default void enqueueRemembersEveryQueue() {
    enqueue(job("a").queue("emails"));
    enqueue(job("a").queue("reports"));

    assertThat(broker().queues()).containsExactlyInAnyOrder("emails", "reports");
  }

  @Test
  default void estimatedWaitFollowsRecentThroughput() {
    for (int i = 0; i < 10; i++) {
      enqueued("done-" + i);
      Job j = claimed("done-" + i);
      broker().complete(QUEUE, j.id(), j.token(), null);
    }
    // 10 completions within five minutes, 2 a minute: the job with 10 ahead waits 5 minutes
    for (int i = 0; i < 10; i++) {
      enqueued("ahead-" + i);
    }
    EnqueueResult r = enqueue(job("t"));

    assertThat(r.position()).isEqualTo(10);
    assertThat(r.estimatedWait()).isEqualTo(Duration.ofMinutes(5));
  }
}
