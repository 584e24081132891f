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
  void jobEnqueuedIntoAnIdleWorkerRuns() {
    Worker w = startWorker(b -> b);
    await().atMost(PATIENCE).until(() -> broker.workers().stream().anyMatch(i -> i.id().equals(w.name())));
    String id = enqueue("jobq.noop", "null");
    awaitStatus(id, JobStatus.COMPLETED);
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
  void callbackThatThrowsNeverChangesTheOutcome() {
    startWorker(b -> b.concurrency(1).handler("test.cb", new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        return "ok";
      }

      @Override
      public void onSuccess(JobContext ctx, Object result) {
        throw new IllegalStateException("callback bug");
      }
    }));
    String first = enqueue("test.cb", "null");
    String second = enqueue("test.cb", "null");
    awaitStatus(second, JobStatus.COMPLETED);
    assertThat(job(first).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void heartbeatDescribesTheWorkerAndShutdownRemovesIt() {
    Worker w = startWorker(b -> b.queues("x", "y").concurrency(4).name("test-worker-1"));
    await().atMost(PATIENCE).until(() -> broker.workers().stream().anyMatch(i -> i.id().equals("test-worker-1")));
    WorkerInfo info = broker.workers().stream().filter(i -> i.id().equals(w.name())).findFirst().orElseThrow();
    assertThat(info.queues()).containsExactly("x", "y");
    assertThat(info.concurrency()).isEqualTo(4);
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.startedAt()).isNotNull();
    w.shutdown();
    assertThat(broker.workers()).noneMatch(i -> i.id().equals("test-worker-1"));
  }
}
