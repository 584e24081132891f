package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Uniqueness keys: within the window a duplicate writes nothing and is answered with the job that
 * holds the key, whatever became of it, unless that job is gone.
 */
public interface UniqueContract extends BrokerUnderTest {
  Duration WINDOW = Duration.ofMinutes(10);

  private JobRequest.Builder report() {
    return job("report").unique("report:acme", WINDOW);
  }

  @Test
  default void aDuplicateWithinTheWindowIsAnsweredWithTheFirstJob() {
    EnqueueResult first = enqueue(report());
    enqueue(job("other"));
    EnqueueResult again = enqueue(report().payload("{\"v\":2}"));

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.jobId()).isEqualTo(first.jobId());
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(again.position()).isZero();
    assertThat(stored(first.jobId()).payload()).isEqualTo("null");
    assertThat(broker().stats(QUEUE).waitingTotal()).isEqualTo(2);
    assertThat(broker().stats(QUEUE).totalEnqueued()).isEqualTo(2);
  }

  @Test
  default void theWindowHoldsAfterTheFirstJobCompletedAndEndsOnTime() {
    String first = enqueue(report()).jobId();
    broker().complete(QUEUE, first, claimed(first).token(), null);
    advance(WINDOW.minusMillis(1));

    EnqueueResult during = enqueue(report());
    advance(Duration.ofMillis(1));
    EnqueueResult after = enqueue(report());

    assertThat(during.created()).isFalse();
    assertThat(during.jobId()).isEqualTo(first);
    assertThat(during.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(after.created()).isTrue();
    assertThat(after.jobId()).isNotEqualTo(first);
    assertThat(enqueue(report()).jobId()).as("the new job holds the key").isEqualTo(after.jobId());
  }

  @Test
  default void aBatchOfDuplicatesMakesOneJob() {
    List<EnqueueResult> r = client().enqueueAll(List.of(report().build(), report().build(),
        report().build()));

    assertThat(r).extracting(EnqueueResult::created).containsExactly(true, false, false);
    assertThat(r).extracting(EnqueueResult::jobId).containsOnly(r.get(0).jobId());
    assertThat(broker().stats(QUEUE).waitingTotal()).isOne();
  }

  @Test
  default void aClearedFirstJobFreesItsKey() {
    enqueue(report());
    broker().clear(QUEUE, false, false);

    assertThat(enqueue(report()).created()).isTrue();
  }

  @Test
  default void keysAreIndependentAcrossKeysAndQueues() {
    enqueue(report());

    assertThat(enqueue(job("report").unique("report:globex", WINDOW)).created()).isTrue();
    assertThat(enqueue(job("report").queue("eu").unique("report:acme", WINDOW)).created())
        .isTrue();
  }

  @Test
  default void aChildOfADuplicateInTheSameBatchWaitsForTheJobThatHoldsTheKey() {
    String holder = enqueue(report()).jobId();

    List<EnqueueResult> r = client().enqueueAll(List.of(report().id("p").build(),
        job("mail").id("c").dependsOn("p").build()));

    assertThat(r.get(0).jobId()).isEqualTo(holder);
    assertThat(r.get(1).status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(broker().get(QUEUE, "p")).isEmpty();
    assertThat(stored("c").dependsOn()).containsExactly(holder);
    Job j = claimed(holder);
    broker().complete(QUEUE, holder, j.token(), null);
    assertThat(statusOf("c")).isEqualTo(JobStatus.WAITING);
  }
}
