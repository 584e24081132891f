package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobStatus;
import dev.jobq.WorkerControl.State;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Orders left in Redis by an operator reach a running worker at its next heartbeat. */
class WorkerControlTest extends WorkerTestSupport {
  private final CountDownLatch go = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();

  private Worker startBlockingWorker(int concurrency) {
    return startWorker(b -> b.concurrency(concurrency).handler("test.block", ctx -> {
      running.incrementAndGet();
      try {
        go.await();
      } finally {
        running.decrementAndGet();
      }
      return null;
    }));
  }

  private Optional<WorkerInfo> heartbeatOf(Worker w) {
    return client.workers().stream().filter(i -> i.id().equals(w.name())).findFirst();
  }

  @Test
  void aQuietWorkerFinishesWhatRunsAndClaimsNothingUntilResumed() {
    Worker w = startBlockingWorker(2);
    String first = enqueue("test.block", "null");
    await().atMost(PATIENCE).until(() -> running.get() == 1);

    client.controlWorker(w.name(), new WorkerControl(State.QUIET, null));
    await().atMost(PATIENCE).until(() -> heartbeatOf(w).map(WorkerInfo::state).orElse("")
        .equals("quiet"));
    String second = enqueue("test.block", "null");
    go.countDown();
    awaitStatus(first, JobStatus.COMPLETED);
    await().during(Duration.ofMillis(500)).atMost(PATIENCE)
        .until(() -> job(second).status() == JobStatus.WAITING);

    client.controlWorker(w.name(), new WorkerControl(State.RUN, null));
    awaitStatus(second, JobStatus.COMPLETED);
    // the heartbeat that brought the order was written before the worker followed it
    await().atMost(PATIENCE).until(() -> heartbeatOf(w).orElseThrow().state().equals("running"));
  }

  @Test
  void everyLiveWorkerToldToBeQuietStopsClaiming() {
    Worker a = startBlockingWorker(1);
    Worker b = startBlockingWorker(1);
    await().atMost(PATIENCE).until(() -> heartbeatOf(a).isPresent() && heartbeatOf(b).isPresent());

    client.workers().forEach(w -> client.controlWorker(w.id(), new WorkerControl(State.QUIET, null)));
    await().atMost(PATIENCE).until(() -> client.workers().stream()
        .allMatch(w -> w.state().equals("quiet")));
    String id = enqueue("test.block", "null");

    await().during(Duration.ofMillis(500)).atMost(PATIENCE)
        .until(() -> job(id).status() == JobStatus.WAITING);
    client.controlWorker(b.name(), new WorkerControl(State.RUN, null));
    awaitStatus(id, JobStatus.ACTIVE);
    assertThat(job(id).worker()).isEqualTo(b.name());
    go.countDown();
  }

  @Test
  void aNewConcurrencyTakesEffectWhileTheWorkerRuns() {
    Worker w = startBlockingWorker(1);
    for (int i = 0; i < 4; i++) {
      enqueue("test.block", "null");
    }
    await().atMost(PATIENCE).until(() -> running.get() == 1);

    client.controlWorker(w.name(), new WorkerControl(null, 3));

    await().atMost(PATIENCE).until(() -> running.get() == 3);
    await().atMost(PATIENCE).until(() -> heartbeatOf(w).orElseThrow().concurrency() == 3);
    assertThat(broker.stats(QUEUE).active()).isEqualTo(3);
    go.countDown();
  }

  @Test
  void aStoppedWorkerFinishesItsJobAndLeavesTheRegistry() throws Exception {
    Worker w = startBlockingWorker(2);
    String id = enqueue("test.block", "null");
    await().atMost(PATIENCE).until(() -> running.get() == 1);
    await().atMost(PATIENCE).until(() -> heartbeatOf(w).isPresent());

    client.controlWorker(w.name(), new WorkerControl(State.STOP, null));
    go.countDown();

    assertThat(w.awaitTermination(PATIENCE)).isTrue();
    assertThat(job(id).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(heartbeatOf(w)).isEmpty();
  }
}
