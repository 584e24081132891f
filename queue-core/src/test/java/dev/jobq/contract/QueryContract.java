package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.spi.FailedJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads: {@code get}, {@code find}, {@code list} (a {@link JobPage} per status: waiting jobs in
 * the order they will run, the others by time, finished ones newest first) and {@code queues}.
 */
public interface QueryContract extends BrokerUnderTest {

  private List<String> listIds(JobStatus status, long offset, int limit) {
    return broker().list(QUEUE, status, offset, limit).jobs().stream().map(Job::id).toList();
  }

  @Test
  default void getAnswersEmptyForAnUnknownIdOrQueue() {
    enqueued("a");

    assertThat(broker().get(QUEUE, "missing")).isEmpty();
    assertThat(broker().get("never-used", "a")).isEmpty();
    assertThat(broker().get(QUEUE, "a")).map(Job::id).contains("a");
  }

  @Test
  default void findLooksInEveryQueue() {
    enqueue(job("a").id("in-emails").queue("emails"));
    enqueue(job("a").id("in-reports").queue("reports"));

    assertThat(broker().find("in-emails")).map(Job::queue).contains("emails");
    assertThat(broker().find("in-reports")).map(Job::queue).contains("reports");
    assertThat(broker().find("missing")).isEmpty();
  }

  @Test
  default void listPagesWaitingJobsInTheOrderTheyWillRun() {
    enqueue(job("t").id("n1"));
    enqueue(job("t").id("l1").priority(Priority.LOW));
    enqueue(job("t").id("h1").priority(Priority.HIGH));
    enqueue(job("t").id("n2"));

    JobPage first = broker().list(QUEUE, JobStatus.WAITING, 0, 2);

    assertThat(first.total()).isEqualTo(4);
    assertThat(first.offset()).isZero();
    assertThat(first.jobs()).extracting(Job::id).containsExactly("h1", "n1");
    assertThat(listIds(JobStatus.WAITING, 2, 2)).containsExactly("n2", "l1");
    assertThat(listIds(JobStatus.WAITING, 4, 2)).isEmpty();
    assertThat(first.jobs()).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.WAITING));
  }

  @Test
  default void listShowsDelayedJobsSoonestFirst() {
    enqueue(job("t").id("later").delay(Duration.ofMinutes(20)));
    enqueue(job("t").id("sooner").delay(Duration.ofMinutes(10)));

    JobPage page = broker().list(QUEUE, JobStatus.DELAYED, 0, 10);

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.jobs()).extracting(Job::id).containsExactly("sooner", "later");
  }

  @Test
  default void listShowsFinishedJobsNewestFirst() {
    for (int i = 0; i < 3; i++) {
      completedJob("done-" + i);
      deadLetteredJob("failed-" + i);
      cancelledJob("cancelled-" + i);
      advance(Duration.ofSeconds(1));
    }

    assertThat(listIds(JobStatus.COMPLETED, 0, 10)).containsExactly("done-2", "done-1", "done-0");
    assertThat(listIds(JobStatus.FAILED, 0, 2)).containsExactly("failed-2", "failed-1");
    assertThat(listIds(JobStatus.FAILED, 2, 2)).containsExactly("failed-0");
    assertThat(broker().list(QUEUE, JobStatus.CANCELLED, 0, 10).jobs()).extracting(Job::id)
        .containsExactly("cancelled-2", "cancelled-1", "cancelled-0");
    assertThat(broker().list(QUEUE, JobStatus.FAILED, 2, 2).total()).isEqualTo(3);
  }

  @Test
  default void listShowsActiveAndBlockedJobsWithTheirTotals() {
    enqueued("run-1");
    enqueued("run-2");
    claim(2);
    enqueue(job("t").id("child").dependsOn("run-1", "run-2"));

    JobPage active = broker().list(QUEUE, JobStatus.ACTIVE, 0, 10);
    JobPage blocked = broker().list(QUEUE, JobStatus.BLOCKED, 0, 10);

    assertThat(active.total()).isEqualTo(2);
    assertThat(active.jobs()).extracting(Job::id).containsExactlyInAnyOrder("run-1", "run-2");
    assertThat(blocked.total()).isOne();
    assertThat(blocked.jobs()).singleElement().satisfies(j -> {
      assertThat(j.status()).isEqualTo(JobStatus.BLOCKED);
      assertThat(j.dependsOn()).containsExactly("run-1", "run-2");
    });
    assertThat(broker().list(QUEUE, JobStatus.WAITING, 0, 10).total()).isZero();
  }

  @Test
  default void queuesNamesEveryQueueEverEnqueuedTo() {
    assertThat(broker().queues()).isEmpty();
    enqueue(job("a").queue("emails"));
    enqueue(job("a").queue("reports"));
    broker().clear("emails", true, false);

    assertThat(broker().queues()).containsExactlyInAnyOrder("emails", "reports");
  }

  @Test
  default void nowIsTheClockTheBrokerWasGiven() {
    assertThat(broker().now()).isEqualTo(START);
    advance(Duration.ofMinutes(3));
    assertThat(broker().now()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    broker().ping();
  }

  @Test
  default void theServerRunIdStaysTheSameWhileTheBrokerRuns() {
    String first = broker().serverRunId();
    enqueued("a");

    assertThat(broker().serverRunId()).isEqualTo(first);
  }

  @Test
  default void newestFailedAnswersTheErrorsOfTheNewestFailedJobsFirst() {
    deadLetteredJob("f1");
    advance(Duration.ofSeconds(1));
    deadLetteredJob("f2");
    advance(Duration.ofSeconds(1));
    deadLetteredJob("f3");
    completedJob("done");

    List<FailedJob> newest = broker().newestFailed(QUEUE, 2);

    assertThat(newest).extracting(FailedJob::id).containsExactly("f3", "f2");
    assertThat(newest.get(0).errorClass()).isEqualTo("E");
    assertThat(newest.get(0).error()).isEqualTo("broken");
    assertThat(newest.get(0).finishedAt()).isEqualTo(START.plusSeconds(2));
    assertThat(broker().newestFailed(QUEUE, 10)).extracting(FailedJob::id)
        .containsExactly("f3", "f2", "f1");
    assertThat(broker().newestFailed(QUEUE, 0)).isEmpty();
    assertThat(broker().newestFailed("never-used", 10)).isEmpty();
  }
}
