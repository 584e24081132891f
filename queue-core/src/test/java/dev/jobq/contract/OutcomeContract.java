package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.WorkerBroker.Completion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What ends or marks an attempt, with the current token and with a stale one: {@code complete},
 * {@code completeAll}, {@code fail} (each {@link FailOutcome}), {@code release} and {@code
 * progress}. A refused call changes nothing.
 */
public interface OutcomeContract extends BrokerUnderTest {

  @Test
  default void completeStoresTheResultAndTheFinishTime() {
    enqueued("a");
    Job j = claimed("a");
    advance(Duration.ofMillis(250));

    assertThat(broker().complete(QUEUE, "a", j.token(), "{\"ok\":true}")).isTrue();

    Job done = stored("a");
    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("{\"ok\":true}");
    assertThat(done.finishedAt()).isEqualTo(START.plusMillis(250));
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  default void completeWithoutAResultLeavesItNull() {
    enqueued("a");
    Job j = claimed("a");

    assertThat(broker().complete(QUEUE, "a", j.token(), null)).isTrue();

    assertThat(stored("a").status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(stored("a").result()).isNull();
  }

  @Test
  default void completeRefusesAStaleTokenAndChangesNothing() {
    enqueued("a");
    Job j = claimed("a");

    assertThat(broker().complete(QUEUE, "a", j.token() + 1, "\"x\"")).isFalse();

    Job still = stored("a");
    assertThat(still.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(still.result()).isNull();
    assertThat(broker().complete(QUEUE, "a", j.token(), null)).isTrue();
  }

  @Test
  default void completeRefusesACompletedJobAWaitingOneAndAnUnknownId() {
    Job done = completedJob("done");
    enqueued("waiting");

    assertThat(broker().complete(QUEUE, "done", done.token(), "\"twice\"")).isFalse();
    assertThat(broker().complete(QUEUE, "waiting", 0, null)).isFalse();
    assertThat(broker().complete(QUEUE, "missing", 1, null)).isFalse();

    assertThat(stored("done").result()).isNull();
    assertThat(statusOf("waiting")).isEqualTo(JobStatus.WAITING);
    assertThat(broker().stats(QUEUE).totalCompleted()).isEqualTo(1);
  }

  @Test
  default void completeAllTakesEachCompletionOnItsOwnTerms() {
    for (String id : List.of("a", "b", "c")) {
      enqueued(id);
    }
    List<Job> jobs = claim(3);

    List<Boolean> accepted = broker().completeAll(QUEUE, List.of(
        new Completion("a", jobs.get(0).token(), "1"),
        new Completion("b", jobs.get(1).token() + 1, "2"),
        new Completion("c", jobs.get(2).token(), null),
        new Completion("missing", 1, "4")));

    assertThat(accepted).containsExactly(true, false, true, false);
    assertThat(stored("a").result()).isEqualTo("1");
    assertThat(stored("b").status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(stored("b").result()).isNull();
    assertThat(stored("c").status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(broker().completeAll(QUEUE, List.of())).isEmpty();
  }

  @Test
  default void failWithAttemptsLeftSchedulesARetryAfterTheDelay() {
    enqueue(job("t").id("a").maxAttempts(3));
    Job j = claimed("a");

    FailOutcome outcome = broker().fail(QUEUE, "a", j.token(),
        new Failure("java.lang.IllegalStateException", "boom", "at Handler.run"),
        Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(FailOutcome.RETRY_SCHEDULED);
    Job failed = stored("a");
    assertThat(failed.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(failed.runAt()).isEqualTo(START.plusSeconds(5));
    assertThat(failed.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(failed.error()).isEqualTo("boom");
    assertThat(failed.stack()).isEqualTo("at Handler.run");
    assertThat(claim(1)).isEmpty();
    advance(Duration.ofSeconds(5));
    assertThat(claimed("a").attempt()).isEqualTo(2);
  }

  @Test
  default void failOnTheLastAttemptDeadLettersEvenWithADelay() {
    enqueue(job("t").id("a").maxAttempts(2));
    Job j = claimed("a");
    broker().fail(QUEUE, "a", j.token(), Failure.of("E", "one"), Duration.ZERO);
    j = claimed("a");

    FailOutcome outcome =
        broker().fail(QUEUE, "a", j.token(), Failure.of("E", "two"), Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(FailOutcome.DEAD_LETTERED);
    Job dead = stored("a");
    assertThat(dead.status()).isEqualTo(JobStatus.FAILED);
    assertThat(dead.error()).isEqualTo("two");
    assertThat(dead.finishedAt()).isEqualTo(START);
  }

  @Test
  default void failWithoutADelayDeadLettersAtOnce() {
    enqueue(job("t").id("a").maxAttempts(5));
    Job j = claimed("a");

    assertThat(broker().fail(QUEUE, "a", j.token(), Failure.of("E", "permanent"), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);
    assertThat(statusOf("a")).isEqualTo(JobStatus.FAILED);
  }

  @Test
  default void failRefusesAStaleTokenAFinishedJobAndAnUnknownIdAsStale() {
    enqueued("a");
    Job j = claimed("a");

    assertThat(broker().fail(QUEUE, "a", j.token() + 1, Failure.of("E", "x"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(stored("a").status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(stored("a").error()).isNull();
    broker().complete(QUEUE, "a", j.token(), null);
    assertThat(broker().fail(QUEUE, "a", j.token(), Failure.of("E", "x"), Duration.ZERO))
        .isEqualTo(FailOutcome.STALE);
    assertThat(statusOf("a")).isEqualTo(JobStatus.COMPLETED);
    assertThat(broker().fail(QUEUE, "missing", 1, Failure.of("E", "x"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(broker().stats(QUEUE).totalFailedAttempts()).isZero();
  }

  @Test
  default void releasePutsTheJobBackAtTheHeadOfItsPriorityWithItsAttemptUnspent() {
    enqueued("first");
    enqueued("second");
    Job j = claimed("first");

    assertThat(broker().release(QUEUE, "first", j.token())).isTrue();

    assertThat(statusOf("first")).isEqualTo(JobStatus.WAITING);
    assertThat(stored("first").attempt()).isZero();
    Job again = claimed("first");
    assertThat(again.attempt()).isEqualTo(1);
  }

  @Test
  default void releaseRefusesAStaleTokenAndAJobThatIsNotActive() {
    enqueued("a");
    enqueued("waiting");
    Job j = claimed("a");

    assertThat(broker().release(QUEUE, "a", j.token() + 1)).isFalse();
    assertThat(broker().release(QUEUE, "waiting", 0)).isFalse();
    assertThat(broker().release(QUEUE, "missing", 1)).isFalse();

    assertThat(statusOf("a")).isEqualTo(JobStatus.ACTIVE);
    assertThat(broker().release(QUEUE, "a", j.token())).isTrue();
    assertThat(broker().release(QUEUE, "a", j.token())).as("released already").isFalse();
  }

  @Test
  default void progressIsStoredForTheCurrentTokenOnly() {
    enqueued("a");
    Job j = claimed("a");

    assertThat(broker().progress(QUEUE, "a", j.token(), "{\"done\":3,\"total\":10}")).isTrue();
    assertThat(broker().progress(QUEUE, "a", j.token() + 1, "{\"done\":9}")).isFalse();

    assertThat(stored("a").progress()).isEqualTo("{\"done\":3,\"total\":10}");
    broker().complete(QUEUE, "a", j.token(), null);
    assertThat(broker().progress(QUEUE, "a", j.token(), "{\"done\":10}")).isFalse();
    assertThat(broker().progress(QUEUE, "missing", 1, "{}")).isFalse();
  }

  @Test
  default void aWorkerWhoseJobWasTakenOverCanNoLongerEndIt() {
    enqueued("a");
    Job stale = claimed("a");
    advance(LEASE.plusMillis(1));
    broker().reapExpired(QUEUE, LeaseContract.NO_WAIT, 10);
    Job current = broker().claim(QUEUE, "w2", 1, LEASE).get(0);

    assertThat(current.token()).isGreaterThan(stale.token());
    assertThat(broker().complete(QUEUE, "a", stale.token(), "\"late\"")).isFalse();
    assertThat(broker().fail(QUEUE, "a", stale.token(), Failure.of("E", "late"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(broker().release(QUEUE, "a", stale.token())).isFalse();
    assertThat(broker().progress(QUEUE, "a", stale.token(), "{}")).isFalse();

    assertThat(broker().complete(QUEUE, "a", current.token(), "\"mine\"")).isTrue();
    assertThat(stored("a").result()).isEqualTo("\"mine\"");
    assertThat(stored("a").worker()).isEqualTo("w2");
  }

  @Test
  default void theOutcomeOfAJobCancelledWhileItRanIsDropped() {
    enqueue(job("t").id("a").maxAttempts(3));
    enqueued("b");
    enqueued("c");
    List<Job> jobs = claim(3);
    client().cancel(QUEUE, "a", "b", "c");

    assertThat(broker().complete(QUEUE, "a", jobs.get(0).token(), "\"late\"")).isFalse();
    assertThat(broker().fail(QUEUE, "b", jobs.get(1).token(), Failure.of("E", "late"),
        Duration.ZERO)).isEqualTo(FailOutcome.STALE);
    assertThat(broker().release(QUEUE, "c", jobs.get(2).token())).isFalse();

    for (String id : List.of("a", "b", "c")) {
      assertThat(statusOf(id)).as(id).isEqualTo(JobStatus.CANCELLED);
    }
    assertThat(stored("a").result()).isNull();
    assertThat(broker().stats(QUEUE).totalFailedAttempts()).isZero();
    assertThat(broker().stats(QUEUE).totalCompleted()).isZero();
  }
}
