package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.ClearResult;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What operators do to a queue: {@code retryFailed}, {@code retryAllFailed}, {@code clear} (with
 * a dry run and with failed jobs), {@code purge} and {@code expireFinished}. The broker keeps
 * finished jobs as jobq does by default: completed and cancelled ones 24 hours, failed ones until
 * retried or purged.
 */
public interface OperationsContract extends BrokerUnderTest {
  Duration DEFAULT_RETENTION = Duration.ofHours(24);

  @Test
  default void retryFailedGivesTheChosenFailedJobsFreshAttempts() {
    deadLetteredJob("a");
    deadLetteredJob("b");
    enqueued("waiting");

    assertThat(broker().retryFailed(QUEUE, List.of("a", "waiting", "missing"))).isOne();

    Job back = stored("a");
    assertThat(back.status()).isEqualTo(JobStatus.WAITING);
    assertThat(back.attempt()).isZero();
    assertThat(back.error()).as("the last error stays for the record").isEqualTo("broken");
    assertThat(statusOf("b")).isEqualTo(JobStatus.FAILED);
    assertThat(statusOf("waiting")).isEqualTo(JobStatus.WAITING);
    assertThat(claimed("waiting").attempt()).isEqualTo(1);
    assertThat(claimed("a").attempt()).isEqualTo(1);
  }

  @Test
  default void retryFailedLeavesCompletedAndCancelledJobsAlone() {
    completedJob("done");
    cancelledJob("cancelled");

    assertThat(broker().retryFailed(QUEUE, List.of("done", "cancelled"))).isZero();

    assertThat(statusOf("done")).isEqualTo(JobStatus.COMPLETED);
    assertThat(statusOf("cancelled")).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  default void retryAllFailedMovesEveryFailedJobBack() {
    for (int i = 0; i < 3; i++) {
      deadLetteredJob("f" + i);
      advance(Duration.ofSeconds(1));
    }

    assertThat(broker().retryAllFailed(QUEUE)).isEqualTo(3);

    assertThat(broker().stats(QUEUE).failed()).isZero();
    assertThat(broker().stats(QUEUE).waitingTotal()).isEqualTo(3);
    assertThat(broker().retryAllFailed(QUEUE)).isZero();
  }

  @Test
  default void aDryRunOfClearCountsWhatItWouldDeleteAndChangesNothing() {
    enqueued("running");
    claimed("running");
    deadLetteredJob("failed");
    enqueued("w1");
    enqueued("w2");
    enqueue(job("t").id("d").delay(Duration.ofHours(1)));
    enqueue(job("t").id("b").dependsOn("running"));

    assertThat(broker().clear(QUEUE, false, true)).isEqualTo(new ClearResult(2, 1, 1, 0));
    assertThat(broker().clear(QUEUE, true, true)).isEqualTo(new ClearResult(2, 1, 1, 1));

    assertThat(broker().stats(QUEUE).waitingTotal()).isEqualTo(2);
    assertThat(statusOf("d")).isEqualTo(JobStatus.DELAYED);
    assertThat(statusOf("b")).isEqualTo(JobStatus.BLOCKED);
  }

  @Test
  default void clearDeletesWhatHasNotStartedAndLeavesActiveAndFailedJobs() {
    enqueued("running");
    claimed("running");
    deadLetteredJob("failed");
    enqueued("w1");
    enqueue(job("t").id("d").delay(Duration.ofHours(1)));
    enqueue(job("t").id("b").dependsOn("running"));

    assertThat(broker().clear(QUEUE, false, false)).isEqualTo(new ClearResult(1, 1, 1, 0));

    for (String gone : List.of("w1", "d", "b")) {
      assertThat(broker().get(QUEUE, gone)).as(gone).isEmpty();
    }
    assertThat(statusOf("running")).isEqualTo(JobStatus.ACTIVE);
    assertThat(statusOf("failed")).isEqualTo(JobStatus.FAILED);
    assertThat(broker().clear(QUEUE, false, false)).isEqualTo(new ClearResult(0, 0, 0, 0));
  }

  @Test
  default void clearWithFailedJobsDeletesThemToo() {
    deadLetteredJob("f1");
    deadLetteredJob("f2");
    enqueued("w");

    assertThat(broker().clear(QUEUE, true, false)).isEqualTo(new ClearResult(1, 0, 0, 2));

    assertThat(broker().get(QUEUE, "f1")).isEmpty();
    assertThat(broker().stats(QUEUE).failed()).isZero();
  }

  @Test
  default void purgeDeletesFinishedJobsOlderThanTheAge() {
    completedJob("old-done");
    deadLetteredJob("old-failed");
    cancelledJob("old-cancelled");
    advance(Duration.ofHours(2));
    completedJob("recent");
    enqueue(job("t").id("waiting").delay(Duration.ofHours(5)));

    assertThat(broker().purge(QUEUE, Duration.ofHours(1))).isEqualTo(3);

    for (String gone : List.of("old-done", "old-failed", "old-cancelled")) {
      assertThat(broker().get(QUEUE, gone)).as(gone).isEmpty();
    }
    assertThat(statusOf("recent")).isEqualTo(JobStatus.COMPLETED);
    assertThat(statusOf("waiting")).isEqualTo(JobStatus.DELAYED);
    assertThat(broker().purge(QUEUE, Duration.ofHours(1))).isZero();
  }

  @Test
  default void expireFinishedDeletesCompletedAndCancelledJobsPastTheRetention() {
    completedJob("done");
    cancelledJob("cancelled");
    advance(DEFAULT_RETENTION.minusMinutes(1));
    assertThat(broker().expireFinished(QUEUE)).isZero();
    assertThat(statusOf("done")).isEqualTo(JobStatus.COMPLETED);

    advance(Duration.ofMinutes(2));

    assertThat(broker().expireFinished(QUEUE)).isEqualTo(2);
    assertThat(broker().get(QUEUE, "done")).isEmpty();
    assertThat(broker().get(QUEUE, "cancelled")).isEmpty();
    assertThat(broker().stats(QUEUE).completed()).isZero();
  }

  @Test
  default void expireFinishedKeepsFailedJobsUntilRetriedOrPurged() {
    deadLetteredJob("failed");
    advance(DEFAULT_RETENTION.multipliedBy(3));

    assertThat(broker().expireFinished(QUEUE)).isZero();

    assertThat(statusOf("failed")).isEqualTo(JobStatus.FAILED);
  }
}
