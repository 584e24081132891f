package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.Job;
import dev.jobq.JobActionOutcome;
import dev.jobq.JobEvent;
import dev.jobq.JobRequest;
import dev.jobq.JobSearch;
import dev.jobq.JobSearch.Field;
import dev.jobq.JobStatus;
import dev.jobq.SearchPage;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard does to one job and how it finds jobs: {@code delete}, {@code runNow} and
 * {@code search}, a bounded scan that says how far it looked and goes on from its cursor.
 */
public interface JobActionContract extends BrokerUnderTest {

  @Test
  default void deleteRemovesAJobInEveryStateButActive() {
    completedJob("completed");
    deadLetteredJob("failed");
    cancelledJob("cancelled");
    enqueued("waiting");
    enqueue(job("t").id("delayed").delay(Duration.ofHours(1)));
    enqueue(job("t").id("blocked").dependsOn("delayed"));

    for (String id : List.of("completed", "failed", "cancelled", "waiting", "blocked")) {
      assertThat(broker().delete(QUEUE, id)).as(id).isEqualTo(JobActionOutcome.DONE);
      assertThat(broker().get(QUEUE, id)).as(id).isEmpty();
    }
    assertThat(broker().stats(QUEUE).failed()).isZero();
    assertThat(broker().stats(QUEUE).waitingTotal()).isZero();
    assertThat(broker().delete(QUEUE, "delayed")).isEqualTo(JobActionOutcome.DONE);
    assertThat(broker().stats(QUEUE).delayed()).isZero();
    assertThat(broker().delete(QUEUE, "missing")).isEqualTo(JobActionOutcome.NOT_FOUND);
    assertThat(lastEvent().type()).isEqualTo(JobEvent.Type.DELETED);
    assertThat(lastEvent().details()).containsEntry("status", "DELAYED");
  }

  @Test
  default void deleteRefusesAnActiveJobAndChangesNothing() {
    enqueued("running");
    Job running = claimed("running");

    assertThat(broker().delete(QUEUE, "running")).isEqualTo(JobActionOutcome.WRONG_STATUS);

    assertThat(statusOf("running")).isEqualTo(JobStatus.ACTIVE);
    assertThat(broker().complete(QUEUE, "running", running.token(), null)).isTrue();
  }

  @Test
  default void deleteRefusesAJobCancelledWhileItRunsUntilItsWorkerReports() {
    enqueued("running");
    Job running = claimed("running");
    broker().cancel(QUEUE, List.of("running"));

    assertThat(broker().delete(QUEUE, "running")).as("its handler still runs")
        .isEqualTo(JobActionOutcome.WRONG_STATUS);
    assertThat(statusOf("running")).isEqualTo(JobStatus.CANCELLED);

    assertThat(broker().release(QUEUE, "running", running.token())).isFalse(); // ends the lease
    assertThat(broker().delete(QUEUE, "running")).isEqualTo(JobActionOutcome.DONE);
  }

  @Test
  default void deletingAnUnfinishedParentCancelsTheChildThatWaitsForIt() {
    enqueued("parent");
    enqueue(job("t").id("child").dependsOn("parent"));

    assertThat(broker().delete(QUEUE, "parent")).isEqualTo(JobActionOutcome.DONE);

    assertThat(statusOf("child")).isEqualTo(JobStatus.CANCELLED);
    assertThat(claim(1)).isEmpty();
  }

  @Test
  default void runNowMakesADelayedJobWaitingAtOnce() {
    enqueue(job("t").id("later").delay(Duration.ofHours(1)));

    assertThat(broker().runNow(QUEUE, "later")).isEqualTo(JobActionOutcome.DONE);

    assertThat(statusOf("later")).isEqualTo(JobStatus.WAITING);
    assertThat(lastEvent().type()).isEqualTo(JobEvent.Type.PROMOTED);
    assertThat(broker().stats(QUEUE).delayed()).isZero();
    assertThat(claimed("later").attempt()).isEqualTo(1);
  }

  @Test
  default void runNowRefusesAJobThatIsNotDelayed() {
    completedJob("done");
    enqueued("waiting");

    assertThat(broker().runNow(QUEUE, "waiting")).isEqualTo(JobActionOutcome.WRONG_STATUS);
    assertThat(broker().runNow(QUEUE, "done")).isEqualTo(JobActionOutcome.WRONG_STATUS);
    assertThat(broker().runNow(QUEUE, "missing")).isEqualTo(JobActionOutcome.NOT_FOUND);

    assertThat(statusOf("waiting")).isEqualTo(JobStatus.WAITING);
    assertThat(statusOf("done")).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  default void searchFindsJobsByIdTypeHeaderAndErrorCaseInsensitively() {
    deadLetteredJob("broken-1");
    enqueue(job("email.send").id("order-17").header("tenant", "Acme Corp"));
    enqueue(job("report.build").id("order-18"));

    assertThat(ids(search(Field.ID, "ORDER", null))).containsExactlyInAnyOrder("order-17",
        "order-18");
    assertThat(ids(search(Field.TYPE, "email", null))).containsExactly("order-17");
    assertThat(ids(search(Field.HEADER, "acme", null))).containsExactly("order-17");
    assertThat(ids(search(Field.ERROR, "BROK", null))).containsExactly("broken-1");
    assertThat(ids(search(Field.ID, "order", JobStatus.FAILED))).isEmpty();
    SearchPage all = search(Field.ID, "-", null);
    assertThat(all.complete()).isTrue();
    assertThat(all.scanned()).isEqualTo(3);
  }

  @Test
  default void aSearchStopsAtItsBoundAndGoesOnFromItsCursorMissingNothing() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 1200; i++) {
      expected.add(enqueue(job("t").id("job-" + i)).jobId());
    }

    Set<String> seen = new HashSet<>();
    String cursor = null;
    int searches = 0;
    do {
      SearchPage page = broker().search(QUEUE,
          new JobSearch(Field.ID, "job-", null, cursor, 1000, 100));
      assertThat(page.scanned()).as("a step past the bound at most").isLessThan(100 + 1000);
      page.jobs().forEach(j -> seen.add(j.id())); // HSCAN may answer one twice, never none
      cursor = page.cursor();
      searches++;
    } while (cursor != null && searches < 100);

    assertThat(searches).as("more than one search").isGreaterThan(1);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  default void aSearchOfLimitOneLooksAtFewJobsAndRefusesACursorThatIsNotDigits() {
    for (int i = 0; i < 1200; i++) {
      enqueue(job("t").id("job-" + i));
    }
    SearchPage first = broker().search(QUEUE, new JobSearch(Field.ID, "job-", null, null, 1, 5));
    assertThat(first.jobs()).isNotEmpty();
    assertThat(first.scanned()).as("one small step, not a page of 500").isLessThan(100);
    assertThat(first.cursor()).matches("\\d+");

    for (String bad : List.of("abc", "-1", "+5", "", "1x", "99999999999999999999")) {
      assertThatThrownBy(() -> broker().search(QUEUE,
          new JobSearch(Field.ID, "job-", null, bad, 1, 5))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    }
  }

  @Test
  default void aFirstSearchByIdAnswersThatIdAloneThenLooksForIdsThatContainIt() {
    for (String id : List.of("order-1", "order-10", "order-11", "other")) {
      enqueued(id);
    }

    SearchPage first = search(Field.ID, "order-1", JobStatus.WAITING);
    SearchPage rest = broker().search(QUEUE, new JobSearch(Field.ID, "order-1",
        JobStatus.WAITING, first.cursor(), 100, JobSearch.MAX_SCAN));

    assertThat(ids(first)).containsExactly("order-1");
    assertThat(first.scanned()).as("one job looked up, none scanned").isEqualTo(1);
    assertThat(first.complete()).isFalse();
    assertThat(ids(rest)).as("the exact one not again").containsExactlyInAnyOrder("order-10",
        "order-11");
    assertThat(rest.complete()).isTrue();
    assertThat(ids(search(Field.ID, "order-1", JobStatus.FAILED))).as("of another status")
        .isEmpty();
    assertThat(ids(search(Field.ID, "ORDER-1", null))).as("no exact id: the scan finds all")
        .containsExactlyInAnyOrder("order-1", "order-10", "order-11");
  }

  @Test
  default void aSearchOfOneStatusLooksAtThatStatusOnlyAndGoesOnFromItsCursorMissingNothing() {
    List<JobRequest> failing = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      failing.add(job("t").id("broken-" + i).maxAttempts(1).build());
    }
    client().enqueueAll(failing);
    Set<String> failed = new HashSet<>();
    for (List<Job> batch = claim(100); !batch.isEmpty(); batch = claim(100)) {
      for (Job j : batch) {
        broker().fail(QUEUE, j.id(), j.token(), Failure.of("Disk", "disk full"), null);
        failed.add(j.id());
      }
    }
    List<JobRequest> waiting = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      waiting.add(job("t").id("waiting-" + i).build());
    }
    client().enqueueAll(waiting);

    Set<String> seen = new HashSet<>();
    long scanned = 0;
    String cursor = null;
    int searches = 0;
    do {
      SearchPage page = broker().search(QUEUE,
          new JobSearch(Field.ERROR, "DISK", JobStatus.FAILED, cursor, 1000, 50));
      page.jobs().forEach(j -> seen.add(j.id()));
      scanned += page.scanned();
      cursor = page.cursor();
      searches++;
    } while (cursor != null && searches < 100);

    assertThat(searches).as("more than one search").isGreaterThan(1);
    assertThat(seen).isEqualTo(failed);
    assertThat(scanned).as("the failed jobs, not the 1,300 of the queue").isLessThan(1000);
    assertThat(search(Field.ERROR, "disk", JobStatus.FAILED).scanned()).as("one search")
        .isLessThan(1000);
  }

  private JobEvent lastEvent() {
    List<JobEvent> events = broker().recentEvents(QUEUE, 1);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private SearchPage search(Field in, String text, JobStatus status) {
    return broker().search(QUEUE, JobSearch.of(in, text, status, 100));
  }

  private static List<String> ids(SearchPage page) {
    return page.jobs().stream().map(Job::id).toList();
  }
}
