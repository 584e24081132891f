package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Worker, on the system clock, running jobs over the in-memory broker. */
class WorkerOverInMemoryBrokerTest {
  static final Duration PATIENCE = Duration.ofSeconds(20);
  final InMemoryBroker broker = new InMemoryBroker();
  final JobClient client = JobClient.create(broker);
  final List<Worker> workers = new ArrayList<>();

  Worker start(Worker.Builder b) {
    Worker w = b.queues("work").concurrency(2).lease(Duration.ofSeconds(1))
        .shutdownGrace(Duration.ofSeconds(1)).build();
    workers.add(w);
    w.start();
    return w;
  }

  String enqueue(JobRequest.Builder b) {
    return client.enqueue(b.queue("work").build()).jobId();
  }

  Job awaitStatus(String id, JobStatus status) {
    await().atMost(PATIENCE).until(() -> broker.get("work", id).orElseThrow().status() == status);
    return broker.get("work", id).orElseThrow();
  }

  @AfterEach
  void stop() {
    workers.forEach(Worker::close);
    broker.close();
  }

  @Test
  void aWorkerRunsEnqueuedJobsAndStoresTheirResults() {
    start(Worker.builder(broker).handler("test.double",
        ctx -> ctx.job().payloadTree().asInt() * 2));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(enqueue(JobRequest.builder("test.double").payload(Integer.toString(i))));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(awaitStatus(ids.get(i), JobStatus.COMPLETED).result())
          .isEqualTo(Integer.toString(i * 2));
    }
    assertThat(broker.stats("work").totalCompleted()).isEqualTo(5);
  }

  @Test
  void aFailingHandlerIsRetriedThenDeadLettered() {
    AtomicInteger runs = new AtomicInteger();
    start(Worker.builder(broker).handler("test.fail", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("broken");
    }));
    String id = enqueue(JobRequest.builder("test.fail")
        .retry(new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(10)))));
    Job dead = awaitStatus(id, JobStatus.FAILED);
    assertThat(dead.attempt()).isEqualTo(3);
    assertThat(dead.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(runs.get()).isEqualTo(3);
  }

  @Test
  void aJobWhoseWorkerStopsRenewingIsReapedAndRunByAnother() {
    // a claim by a "worker" that then dies: its lease of 200 ms passes, and a real worker's
    // reaper hands the job out again
    String id = enqueue(JobRequest.builder("test.ok"));
    assertThat(broker.claim("work", "dead-worker", 1, Duration.ofMillis(200))).hasSize(1);
    start(Worker.builder(broker).handler("test.ok", ctx -> "ok")
        .retryPolicy(new RetryPolicy(4, Backoff.fixed(Duration.ofMillis(10)))));
    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(broker.stats("work").totalFailedAttempts()).isEqualTo(1);
  }
}
