package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependenciesTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final ManualClock clock = new ManualClock(TestJobs.START);
  final InMemoryBroker broker = new InMemoryBroker(clock);
  final JobClient client = JobClient.create(broker);

  JobStatus status(String id) {
    return broker.get("default", id).orElseThrow().status();
  }

  @Test
  void aChildWaitsBlockedUntilItsLastParentCompletes() {
    client.enqueueAll(List.of(JobRequest.builder("p").id("p1").build(),
        JobRequest.builder("p").id("p2").build(),
        JobRequest.builder("c").id("c").dependsOn("p1", "p2").build()));
    assertThat(status("c")).isEqualTo(JobStatus.BLOCKED);
    List<Job> parents = broker.claim("default", "w", 10, LEASE);
    assertThat(parents).extracting(Job::id).containsExactly("p1", "p2");
    broker.complete("default", "p1", parents.get(0).token(), null);
    assertThat(status("c")).isEqualTo(JobStatus.BLOCKED);
    broker.complete("default", "p2", parents.get(1).token(), null);
    assertThat(status("c")).isEqualTo(JobStatus.WAITING);
    assertThat(broker.get("default", "c").orElseThrow().dependsOn()).containsExactly("p1", "p2");
  }

  @Test
  void aDeadLetteredParentCancelsItsChildrenInTurnUnlessOneRunsAnyway() {
    client.enqueueAll(List.of(JobRequest.builder("p").id("p").maxAttempts(1).build(),
        JobRequest.builder("c").id("c").dependsOn("p").build(),
        JobRequest.builder("c").id("g").dependsOn("c").build(),
        JobRequest.builder("c").id("any").dependsOn("p").runEvenIfParentsFail().build()));
    Job p = broker.claim("default", "w", 1, LEASE).get(0);
    broker.fail("default", "p", p.token(), Failure.of("E", "no"), null);
    Job c = broker.get("default", "c").orElseThrow();
    assertThat(c.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(c.error()).isEqualTo("parent p ended FAILED");
    assertThat(broker.get("default", "g").orElseThrow().error()).isEqualTo("parent c ended CANCELLED");
    assertThat(status("any")).isEqualTo(JobStatus.WAITING);
    String late = client.enqueue(JobRequest.builder("c").id("late").dependsOn("p").build()).jobId();
    assertThat(status(late)).as("a parent already failed").isEqualTo(JobStatus.CANCELLED);
  }
}
