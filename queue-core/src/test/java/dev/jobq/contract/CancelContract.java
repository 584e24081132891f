package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cancel}: a {@link CancelOutcome} for each state, and a job cancelled while it runs,
 * which keeps its lease (and its slot under a running limit) until its worker reports or the
 * lease passes.
 */
public interface CancelContract extends BrokerUnderTest {

  private Map<String, CancelOutcome> cancel(String... ids) {
    return broker().cancel(QUEUE, List.of(ids));
  }

  @Test
  default void cancelStopsAJobInEveryUnfinishedState() {
    enqueued("running");
    claimed("running");
    enqueued("waiting");
    enqueue(job("t").id("delayed").delay(Duration.ofHours(1)));
    enqueue(job("t").id("blocked").dependsOn("waiting"));

    // the child first: cancelling its parent would cancel it too
    Map<String, CancelOutcome> out = cancel("blocked", "waiting", "delayed", "running");

    assertThat(out).containsExactly(Map.entry("blocked", CancelOutcome.CANCELLED),
        Map.entry("waiting", CancelOutcome.CANCELLED),
        Map.entry("delayed", CancelOutcome.CANCELLED),
        Map.entry("running", CancelOutcome.CANCELLED));
    for (String id : out.keySet()) {
      assertThat(statusOf(id)).as(id).isEqualTo(JobStatus.CANCELLED);
      assertThat(stored(id).finishedAt()).as(id).isEqualTo(START);
    }
    assertThat(broker().stats(QUEUE).cancelled()).isEqualTo(4);
  }

  @Test
  default void cancelAnswersAlreadyFinishedForAFinishedJobAndChangesNothing() {
    completedJob("completed");
    deadLetteredJob("failed");
    cancelledJob("cancelled");

    assertThat(cancel("completed", "failed", "cancelled")).containsExactly(
        Map.entry("completed", CancelOutcome.ALREADY_FINISHED),
        Map.entry("failed", CancelOutcome.ALREADY_FINISHED),
        Map.entry("cancelled", CancelOutcome.ALREADY_FINISHED));
    assertThat(statusOf("completed")).isEqualTo(JobStatus.COMPLETED);
    assertThat(statusOf("failed")).isEqualTo(JobStatus.FAILED);
  }

  @Test
  default void cancelAnswersNotFoundForAnUnknownId() {
    assertThat(cancel("missing")).isEqualTo(Map.of("missing", CancelOutcome.NOT_FOUND));
    assertThat(broker().get(QUEUE, "missing")).isEmpty();
  }

  @Test
  default void aCancelledJobIsNeverClaimed() {
    enqueued("waiting");
    enqueue(job("t").id("delayed").delay(Duration.ofMinutes(1)));
    cancel("waiting", "delayed");
    advance(Duration.ofHours(1));

    assertThat(claim(10)).isEmpty();
    assertThat(broker().stats(QUEUE).waitingTotal()).isZero();
    assertThat(broker().stats(QUEUE).delayed()).isZero();
  }

  @Test
  default void aJobCancelledWhileItRunsHoldsItsSlotUntilItsWorkerReports() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    enqueued("a");
    enqueued("b");
    Job running = claimed("a");
    cancel("a");

    assertThat(claim(10)).as("a's handler may still run").isEmpty();
    assertThat(broker().complete(QUEUE, "a", running.token(), "\"late\"")).isFalse();

    assertThat(stored("a").result()).isNull();
    assertThat(claimIds(10)).containsExactly("b");
  }

  @Test
  default void aJobCancelledWhileItRunsHoldsItsSlotWhileItsLeaseIsRenewed() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    enqueued("a");
    enqueued("b");
    Job running = claimed("a");
    cancel("a");
    advance(Duration.ofSeconds(20));
    assertThat(broker().renewLeases(QUEUE, WORKER, Map.of("a", running.token()), LEASE))
        .containsEntry("a", LeaseState.CANCELLED);

    advance(Duration.ofSeconds(20));
    assertThat(broker().reapExpired(QUEUE, LeaseContract.NO_WAIT, 10)).isZero();
    assertThat(claim(10)).as("the renewed lease holds").isEmpty();

    assertThat(broker().fail(QUEUE, "a", running.token(), Failure.of("E", "late"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(claimIds(10)).containsExactly("b");
  }

  @Test
  default void aJobCancelledWhileItRunsHoldsItsSlotUntilItsLeasePasses() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    enqueued("a");
    enqueued("b");
    claimed("a");
    cancel("a");

    advance(LEASE.minusMillis(1));
    assertThat(broker().reapExpired(QUEUE, LeaseContract.NO_WAIT, 10)).isZero();
    assertThat(claim(10)).isEmpty();
    advance(Duration.ofMillis(1));
    assertThat(broker().reapExpired(QUEUE, LeaseContract.NO_WAIT, 10)).isZero();

    assertThat(claimIds(10)).containsExactly("b");
    assertThat(statusOf("a")).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  default void aJobCancelledWhileItRunsAndEnqueuedAgainGivesUpItsSlot() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    enqueued("a");
    enqueued("b");
    Job running = claimed("a");
    cancel("a");

    assertThat(enqueue(job("t").id("a").replaceFinished()).created()).isTrue();

    assertThat(broker().renewLeases(QUEUE, WORKER, Map.of("a", running.token()), LEASE))
        .containsEntry("a", LeaseState.LOST);
    assertThat(claimIds(10)).containsExactly("b");
  }

  @Test
  default void cancellingAParentCancelsItsBlockedChildNamingIt() {
    enqueued("p");
    enqueue(job("t").id("c").dependsOn("p"));

    cancel("p");

    Job child = stored("c");
    assertThat(child.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(child.errorClass()).isEqualTo(DependencyContract.PARENT_FAILED);
    assertThat(child.error()).isEqualTo("parent p ended CANCELLED");
  }
}
