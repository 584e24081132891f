package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.WorkerBroker.Completion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every call that ends or marks an attempt starts from ACTIVE ({@code JobStatus}'s table of
 * moves): from any other state it is refused, even with the job's own token, and the job is left
 * exactly as it was.
 */
public interface WrongStateContract extends BrokerUnderTest {

  /** Puts job {@code id} in {@code status}; answers the token its last worker held (0: none). */
  private long jobIn(JobStatus status, String id) {
    switch (status) {
      case WAITING -> enqueued(id);
      case DELAYED -> {
        enqueue(job("t").id(id).maxAttempts(2));
        Job j = claimed(id);
        broker().fail(QUEUE, id, j.token(), Failure.of("E", "x"), Duration.ofHours(1));
      }
      case BLOCKED -> enqueue(job("t").id(id).dependsOn(enqueued("parent")));
      case COMPLETED -> completedJob(id);
      case FAILED -> deadLetteredJob(id);
      case CANCELLED -> cancelledJob(id);
      default -> throw new IllegalArgumentException("not a resting state: " + status);
    }
    assertThat(statusOf(id)).isEqualTo(status);
    return stored(id).token();
  }

  @ParameterizedTest
  @EnumSource(value = JobStatus.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
  default void noOutcomeIsAcceptedForAJobThatIsNotActive(JobStatus status) {
    long token = jobIn(status, "a");
    Job before = stored("a");

    assertThat(broker().complete(QUEUE, "a", token, "\"late\"")).as("complete").isFalse();
    assertThat(broker().completeAll(QUEUE, List.of(new Completion("a", token, null))))
        .as("completeAll").containsExactly(false);
    assertThat(broker().fail(QUEUE, "a", token, Failure.of("E", "late"), Duration.ZERO))
        .as("fail").isEqualTo(FailOutcome.STALE);
    assertThat(broker().fail(QUEUE, "a", token, Failure.of("E", "late"), null))
        .as("fail for good").isEqualTo(FailOutcome.STALE);
    assertThat(broker().release(QUEUE, "a", token)).as("release").isFalse();
    assertThat(broker().progress(QUEUE, "a", token, "{\"done\":1}")).as("progress").isFalse();

    assertThat(stored("a")).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(value = JobStatus.class, names = "FAILED", mode = EnumSource.Mode.EXCLUDE)
  default void onlyAFailedJobCanBeRetried(JobStatus status) {
    if (status == JobStatus.ACTIVE) {
      enqueued("a");
      claimed("a");
    } else {
      jobIn(status, "a");
    }
    Job before = stored("a");

    assertThat(broker().retryFailed(QUEUE, List.of("a"))).isZero();
    assertThat(broker().retryAllFailed(QUEUE)).isZero();

    assertThat(stored("a")).isEqualTo(before);
  }
}
