package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.ClearResult;
import dev.jobq.Job;
import dev.jobq.JobActionOutcome;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.FailedJob;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What grouping dead letters by error reads ({@code newestFailed}): each failed job once, with
 * its error class and the first line of its last error, while it is failed and no longer.
 * Retried, deleted, purged, cleared or replaced, it leaves its group; failed again, it comes
 * back in the group of its new error.
 */
public interface DeadLetterContract extends BrokerUnderTest {

  /** Enqueues, claims and dead-letters a job with this error: the queue must hold no other. */
  private void failedJob(String id, String errorClass, String message) {
    enqueue(job("t").id(id).maxAttempts(1));
    Job j = claimed(id);
    assertThat(broker().fail(QUEUE, id, j.token(), Failure.of(errorClass, message), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);
  }

  /** The newest failed jobs counted by "class: first line", as the dead-letter groups count. */
  private Map<String, Integer> groups() {
    Map<String, Integer> groups = new TreeMap<>();
    for (FailedJob f : broker().newestFailed(QUEUE, 100)) {
      groups.merge(f.errorClass() + ": " + f.error(), 1, Integer::sum);
    }
    return groups;
  }

  @Test
  default void newestFailedKeepsTheFirstLineOfEachErrorAndCountsEachFailedJobOnce() {
    failedJob("a", "E1", "disk full\n  while writing /tmp/x");
    failedJob("b", "E1", "disk full");
    failedJob("c", "E2", "timed out");
    failedJob("d", "E2", "");

    List<FailedJob> newest = broker().newestFailed(QUEUE, 10);

    assertThat(newest).extracting(FailedJob::id).containsExactly("d", "c", "b", "a");
    assertThat(newest.get(3).error()).isEqualTo("disk full");
    assertThat(newest.get(0).error()).isEmpty();
    assertThat(newest.get(0).finishedAt()).isEqualTo(START);
    assertThat(groups()).containsExactly(Map.entry("E1: disk full", 2), Map.entry("E2: ", 1),
        Map.entry("E2: timed out", 1));
  }

  @Test
  default void aRetriedJobLeavesItsGroupAndFailingAgainJoinsTheGroupOfItsNewError() {
    failedJob("a", "E1", "first");
    failedJob("b", "E1", "first");

    assertThat(broker().retryFailed(QUEUE, List.of("a"))).isOne();
    assertThat(groups()).containsExactly(Map.entry("E1: first", 1));

    advance(Duration.ofSeconds(5));
    Job again = claimed("a");
    assertThat(broker().fail(QUEUE, "a", again.token(), Failure.of("E2", "second"), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);

    List<FailedJob> newest = broker().newestFailed(QUEUE, 10);
    assertThat(newest).extracting(FailedJob::id).containsExactly("a", "b");
    assertThat(newest.get(0).finishedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(groups()).containsExactly(Map.entry("E1: first", 1), Map.entry("E2: second", 1));
  }

  @Test
  default void deletedPurgedReplacedAndClearedFailedJobsLeaveTheirGroups() {
    failedJob("old", "E1", "x");
    advance(Duration.ofHours(2));
    failedJob("deleted", "E1", "x");
    failedJob("replaced", "E1", "x");
    failedJob("cleared", "E2", "y");

    assertThat(broker().purge(QUEUE, Duration.ofHours(1))).isOne();
    assertThat(broker().delete(QUEUE, "deleted")).isEqualTo(JobActionOutcome.DONE);
    assertThat(enqueue(job("t").id("replaced").replaceFinished()).created()).isTrue();

    assertThat(groups()).containsExactly(Map.entry("E2: y", 1));
    assertThat(broker().clear(QUEUE, true, false)).isEqualTo(new ClearResult(1, 0, 0, 1));
    assertThat(groups()).isEmpty();
    assertThat(broker().newestFailed(QUEUE, 10)).isEmpty();
  }
}
