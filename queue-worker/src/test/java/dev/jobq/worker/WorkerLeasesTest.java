package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerLeasesTest extends WorkerTestSupport {

  @Test
  void cancellingARunningJobInterruptsItsHandler() {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean sawCancel = new AtomicBoolean();
    startWorker(b -> b.concurrency(1).handler("test.long", ctx -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        sawCancel.set(ctx.isCancelled());
        throw e;
      }
      return null;
    }));
    String id = enqueue("test.long", "null");
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);
    assertThat(client.cancel(QUEUE, id)).containsEntry(id, CancelOutcome.CANCELLED);
    await().atMost(PATIENCE).untilTrue(sawCancel);
    // With one thread, the next job runs only after the cancelled handler has returned.
    String next = enqueue("jobq.noop", "null");
    awaitStatus(next, JobStatus.COMPLETED);
    Job cancelled = job(id);
    assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cancelled.error()).isNull();
  }

  @Test
  void progressIsStoredOnTheRunningJob() {
    CountDownLatch go = new CountDownLatch(1);
    startWorker(b -> b.handler("test.progress", ctx -> {
      ctx.progress(3, 10, "three of ten");
      go.await();
      return null;
    }));
    String id = enqueue("test.progress", "null");
    // what the producer sees, through its own client
    await().atMost(PATIENCE).until(() -> client.require(QUEUE, id).progress() != null);
    Job running = client.require(QUEUE, id);
    assertThat(running.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(Json.tree(running.progress()))
        .isEqualTo(Json.tree("{\"done\":3,\"total\":10,\"message\":\"three of ten\"}"));
    go.countDown();
    awaitStatus(id, JobStatus.COMPLETED);
  }

  @Test
  void leaseOfAJobRunningFarLongerThanItIsRenewed() {
    // Runs five leases long; the worker's own reaper would take it back were it not renewed.
    startWorker(b -> b.lease(Duration.ofMillis(300))
        .handler("test.long", ctx -> {
          Thread.sleep(1_500);
          return ctx.attempt();
        }));
    String id = enqueue("test.long", "null");
    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("1");
    assertThat(done.attempt()).isEqualTo(1);
  }

  @Test
  void gracefulShutdownFinishesShortJobsAndReleasesLongOnes() {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    Worker w = startWorker(b -> b.concurrency(2).shutdownGrace(Duration.ofSeconds(2))
        .handler("test.short", ctx -> {
          started.countDown();
          gate.await();
          return "finished";
        })
        .handler("test.long", ctx -> {
          started.countDown();
          Thread.sleep(60_000);
          return null;
        }));
    String shortJob = enqueue("test.short", "null");
    String longJob = enqueue("test.long", "null");
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(w::shutdown);
    gate.countDown(); // the short job ends now, while the worker stops
    stopping.join();
    assertThat(job(shortJob).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job(shortJob).result()).isEqualTo("\"finished\"");
    Job released = job(longJob);
    assertThat(released.status()).isEqualTo(JobStatus.WAITING);
    assertThat(released.attempt()).isZero(); // the released attempt was not spent
    List<Job> again = broker.claim(QUEUE, "test-claimer", 5, Duration.ofSeconds(5));
    assertThat(again).extracting(Job::id).containsExactly(longJob);
    assertThat(again.get(0).attempt()).isEqualTo(1);
  }

  @Test
  void severalReapersAtOnceReturnEachExpiredJobExactlyOnce() throws Exception {
    int n = 40;
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(JobRequest.builder("jobq.noop").queue(QUEUE).maxAttempts(3)
          .backoff(Backoff.fixed(Duration.ofMillis(50))).build());
    }
    List<String> ids = client.enqueueAll(requests).stream().map(r -> r.jobId()).toList();
    // A worker claims them all and dies: nobody renews these leases.
    List<Job> claimed = broker.claim(QUEUE, "dead-worker", n, Duration.ofMillis(300));
    assertThat(claimed).hasSize(n);
    Instant expired = claimed.get(n - 1).startedAt().plusMillis(300);
    await().atMost(PATIENCE).until(() -> broker.now().isAfter(expired));

    // Four reapers let go at the same moment, and three workers whose reapers run every 100 ms.
    int reapers = 4;
    CyclicBarrier together = new CyclicBarrier(reapers);
    ExecutorService pool = Executors.newFixedThreadPool(reapers);
    try {
      List<Future<Integer>> reaped = new ArrayList<>();
      for (int i = 0; i < reapers; i++) {
        reaped.add(pool.submit(() -> {
          together.await();
          return broker.reapExpired(QUEUE, RetryPolicy.DEFAULT, 100);
        }));
      }
      for (int i = 0; i < 3; i++) {
        startWorker(b -> b.concurrency(4).heartbeatInterval(Duration.ofMillis(100)));
      }
      int byTheFour = 0;
      for (Future<Integer> f : reaped) {
        byTheFour += f.get(10, TimeUnit.SECONDS);
      }
      assertThat(byTheFour).isBetween(0, n);
    } finally {
      pool.shutdownNow();
    }
    for (String id : ids) {
      Job done = awaitStatus(id, JobStatus.COMPLETED);
      assertThat(done.attempt()).as("attempts of %s", id).isEqualTo(2);
      assertThat(done.errorClass()).isEqualTo("dev.jobq.LeaseExpired");
      assertThat(done.error()).contains("dead-worker");
    }
    // One failed attempt per job: no job was reaped twice.
    assertThat(broker.stats(QUEUE).totalFailedAttempts()).isEqualTo(n);
  }
}
