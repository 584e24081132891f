package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.Priority;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code claim} with types: a worker that runs only some job types takes only those; jobs of
 * other types keep their place, in order, for other workers.
 */
public interface ClaimTypesContract extends BrokerUnderTest {

  private List<String> claimIdsOf(int max, Set<String> types) {
    return broker().claim(QUEUE, WORKER, max, LEASE, types).stream().map(Job::id).toList();
  }

  @Test
  default void aClaimWithTypesTakesOnlyJobsOfThoseTypes() {
    enqueue(job("x").id("a"));
    enqueue(job("y").id("b"));
    enqueue(job("x").id("c"));
    enqueue(job("z").id("d"));

    assertThat(claimIdsOf(10, Set.of("x", "z"))).containsExactly("a", "c", "d");
    assertThat(statusOf("b")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void jobsOfOtherTypesKeepTheirOrderForOtherWorkers() {
    enqueue(job("other").id("o1"));
    enqueue(job("x").id("x1"));
    enqueue(job("other").id("o2"));
    enqueue(job("x").id("x2"));
    enqueue(job("other").id("o3"));

    assertThat(claimIdsOf(10, Set.of("x"))).containsExactly("x1", "x2");
    assertThat(claimIds(10)).containsExactly("o1", "o2", "o3");
  }

  @Test
  default void aClaimWithTypesTakesTheHighestPriorityFirst() {
    enqueue(job("x").id("low").priority(Priority.LOW));
    enqueue(job("y").id("critical-y").priority(Priority.CRITICAL));
    enqueue(job("x").id("normal"));
    enqueue(job("x").id("high").priority(Priority.HIGH));

    assertThat(claimIdsOf(2, Set.of("x"))).containsExactly("high", "normal");
    assertThat(claimIdsOf(2, Set.of("x"))).containsExactly("low");
  }

  @Test
  default void aClaimWithTypesLooksOnlyAsDeepAsTheScanWindow() {
    List<JobRequest> ahead = new ArrayList<>();
    for (int i = 0; i < WorkerBroker.CLAIM_SCAN_WINDOW; i++) {
      ahead.add(job("other").id("o" + i).build());
    }
    client().enqueueAll(ahead);
    enqueue(job("x").id("behind"));

    assertThat(claimIdsOf(1, Set.of("x"))).as("behind a full window").isEmpty();
    assertThat(claimIds(1)).containsExactly("o0");
    assertThat(claimIdsOf(1, Set.of("x"))).as("now inside the window").containsExactly("behind");
  }

  @Test
  default void aTypeNoJobHasTakesNothing() {
    enqueued("a");

    assertThat(claimIdsOf(5, Set.of("nobody-runs-this"))).isEmpty();
    assertThat(statusOf("a")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void noTypesMeansAnyType() {
    enqueue(job("x").id("a"));
    enqueue(job("y").id("b"));

    assertThat(claimIdsOf(1, Set.of())).containsExactly("a");
    assertThat(claimIdsOf(1, null)).containsExactly("b");
  }

  @Test
  default void dueDelayedJobsOfEveryTypeArePromotedByAClaimWithTypes() {
    enqueue(job("y").id("y-due").delay(Duration.ofSeconds(5)));
    enqueue(job("x").id("x-due").delay(Duration.ofSeconds(10)));
    advance(Duration.ofSeconds(10));

    assertThat(claimIdsOf(5, Set.of("x"))).containsExactly("x-due");
    assertThat(statusOf("y-due")).isEqualTo(JobStatus.WAITING);
    assertThat(broker().stats(QUEUE).delayed()).isZero();
  }

  @Test
  default void aClaimWithTypesStaysWithinTheTypesLimits() {
    broker().setLimit(QUEUE, Limit.running("x", 1));
    enqueue(job("x").id("x1"));
    enqueue(job("y").id("y1"));
    enqueue(job("x").id("x2"));

    assertThat(claimIdsOf(5, Set.of("x"))).containsExactly("x1");
    assertThat(claimIds(5)).containsExactly("y1");
  }

  @Test
  default void anInvalidTypeIsRefusedNamingItAndNothingIsClaimed() {
    enqueue(job("x").id("a"));

    assertThatThrownBy(() -> broker().claim(QUEUE, WORKER, 5, LEASE, Set.of("x", "no spaces")))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("a job type to take is 'no spaces'");
    assertThat(statusOf("a")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void aClaimWithTypesThatTookSomeHandsTheWakeUpOnForOtherTypes() throws Exception {
    enqueue(job("x").id("a"));
    enqueue(job("y").id("b"));
    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofMillis(50))).as("taken").isTrue();

    assertThat(claimIdsOf(5, Set.of("x"))).containsExactly("a");

    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofSeconds(20))).isTrue();
  }
}
