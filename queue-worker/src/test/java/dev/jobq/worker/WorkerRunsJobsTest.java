package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Job;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerRunsJobsTest extends WorkerTestSupport {

  @Test
  void echoJobCompletesWithThePayloadAsResult() {
    startWorker(b -> b);
    String id = enqueue("jobq.echo", "{\"hello\":[1,2,3]}");
    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("{\"hello\":[1,2,3]}");
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  void neverRunsMoreJobsThanItsConcurrency() {
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    startWorker(b -> b.concurrency(3).handler("test.block", ctx -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        go.await();
      } finally {
        running.decrementAndGet();
      }
      return null;
    }));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(enqueue("test.block", "null"));
    }
    await().atMost(PATIENCE).until(() -> running.get() == 3);
    // The fetch loop claims only free slots, so Redis holds exactly three active jobs.
    assertThat(broker.stats(QUEUE).active()).isEqualTo(3);
    assertThat(broker.stats(QUEUE).waitingTotal()).isEqualTo(5);
    go.countDown();
    ids.forEach(id -> awaitStatus(id, JobStatus.COMPLETED));
    assertThat(mostAtOnce.get()).isEqualTo(3);
  }

  @Test
  void strictQueuesDrainTheFirstQueueBeforeTheNext() {
    ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    List<String> ids = new ArrayList<>();
    usesQueues("low", "high");
    for (String q : List.of("low", "high", "low", "high", "low", "high")) {
      ids.add(client.enqueue(JobRequest.builder("test.record").queue(q).build()).jobId());
    }
    startWorker(b -> b.queues("high", "low").concurrency(1)
        .handler("test.record", ctx -> order.add(ctx.queue())));
    await().atMost(PATIENCE).until(() -> order.size() == 6);
    assertThat(order).containsExactly("high", "high", "high", "low", "low", "low");
  }

  @Test
  void weightedQueuesAreAllServed() {
    usesQueues("a", "b");
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 5; i++) {
      client.enqueue(JobRequest.builder("test.record").queue("a").build());
      client.enqueue(JobRequest.builder("test.record").queue("b").build());
    }
    startWorker(b -> b.weightedQueues(Map.of("a", 3, "b", 1)).concurrency(1)
        .handler("test.record", ctx -> seen.add(ctx.queue())));
    await().atMost(PATIENCE).until(() -> seen.size() == 10);
    assertThat(seen).containsOnly("a", "b");
  }

  @Test
  void onSuccessRunsAfterTheResultIsRecorded() {
    AtomicReference<JobStatus> statusSeenByCallback = new AtomicReference<>();
    startWorker(b -> b.handler("test.cb", new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        return 42;
      }

      @Override
      public void onSuccess(JobContext ctx, Object result) {
        statusSeenByCallback.set(job(ctx.id()).status());
      }
    }));
    String id = enqueue("test.cb", "null");
    await().atMost(PATIENCE).until(() -> statusSeenByCallback.get() != null);
    assertThat(statusSeenByCallback.get()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job(id).result()).isEqualTo("42");
  }

  @Test
  void heartbeatDescribesTheWorkerAndItsWorkAndShutdownRemovesIt() {
    usesQueues("other");
    CountDownLatch go = new CountDownLatch(1);
    Worker w = startWorker(b -> b.queues(QUEUE, "other").concurrency(3).name("test-worker-1")
        .handler("test.hold", ctx -> {
          go.await();
          return null;
        }));
    awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED);
    awaitStatus(enqueue("jobq.fail", "{}", r -> r.maxAttempts(1)), JobStatus.FAILED);
    String held = enqueue("test.hold", "null");
    awaitStatus(held, JobStatus.ACTIVE);
    // The heartbeat is rewritten every lease / 3: wait for one that has seen all of the above.
    await().atMost(PATIENCE).until(() -> heartbeatOf("test-worker-1")
        .filter(i -> i.busy() == 1 && i.processed() == 2 && i.failed() == 1).isPresent());
    WorkerInfo info = heartbeatOf("test-worker-1").orElseThrow();
    assertThat(info.host()).isEqualTo(WorkerRuntime.host()).isNotBlank();
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.queues()).containsExactly(QUEUE, "other");
    assertThat(info.concurrency()).isEqualTo(3);
    assertThat(info.startedAt()).isNotNull().isBeforeOrEqualTo(info.lastHeartbeat());
    go.countDown();
    awaitStatus(held, JobStatus.COMPLETED);
    w.shutdown();
    assertThat(broker.workers()).noneMatch(i -> i.id().equals("test-worker-1"));
  }

  private Optional<WorkerInfo> heartbeatOf(String name) {
    return broker.workers().stream().filter(i -> i.id().equals(name)).findFirst();
  }
}
