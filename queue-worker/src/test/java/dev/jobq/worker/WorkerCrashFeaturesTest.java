package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Job features across worker JVMs that die: a last parent whose worker is killed mid-run, and
 * escalations made by several workers at once.
 */
class WorkerCrashFeaturesTest extends WorkerProcessTestSupport {

  @Test
  void aChildRunsOnceAfterItsLastParentWhoseWorkerWasKilledMidRunCompletesElsewhere() {
    Process doomed = workers.launch("doomed", 2, 1_000, 1_000);
    awaitRegistered(doomed);
    JobRequest parent = JobRequest.builder(WorkerProcessMain.TYPE).queue(QUEUE).id("parent")
        .payload("{\"gate\":true}").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(50)))
        .build();
    JobRequest child = JobRequest.builder(WorkerProcessMain.TYPE).queue(QUEUE).id("child")
        .payload("{}").dependsOn("parent").build();
    client.enqueueGraph(List.of(parent, child));
    await().atMost(PATIENCE).until(() -> runs().contains("parent 1 doomed"));

    doomed.destroyForcibly();
    Process rescuer = workers.launch("rescuer", 2, 1_000, 1_000);
    await().atMost(PATIENCE).until(() -> runs().contains("parent 2 rescuer"));
    assertThat(job("child").status()).as("still blocked").isEqualTo(JobStatus.BLOCKED);
    jedis.rpush(prefix + ":gate:parent", "go");

    Job done = awaitStatus("child", JobStatus.COMPLETED);
    assertThat(runs()).filteredOn(r -> r.startsWith("child ")).containsExactly("child 1 rescuer");
    assertThat(done.startedAt()).isAfterOrEqualTo(job("parent").finishedAt());
    assertThat(rescuer.isAlive()).isTrue();
  }

  @Test
  void severalWorkersEscalateEachExhaustedJobOnce() {
    for (int i = 0; i < 3; i++) {
      startWorker(b -> b.concurrency(4).handler("sync.crm", ctx -> {
        throw new IllegalStateException("crm down");
      }));
    }
    usesQueues("oncall");
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      jobs.add(JobRequest.builder("sync.crm").queue(QUEUE).maxAttempts(2)
          .backoff(Backoff.fixed(Duration.ofMillis(20)))
          .escalateTo(new Escalation("page.human", "oncall", null)).build());
    }
    List<String> ids = client.enqueueAll(jobs).stream().map(r -> r.jobId()).toList();

    ids.forEach(id -> awaitStatus(id, JobStatus.CANCELLED));
    assertThat(ids).allSatisfy(id ->
        assertThat(job(id).escalatedTo()).isEqualTo("oncall/" + id + "/escalated-" + job(id).createdAt().toEpochMilli()));
    assertThat(broker.stats("oncall").waitingTotal()).isEqualTo(30);
    assertThat(broker.stats("oncall").totalEnqueued()).isEqualTo(30);
    assertThat(broker.stats(QUEUE).failed()).isZero();
  }
}
