package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    await().atMost(PATIENCE).until(() -> job(id).progress() != null);
    assertThat(job(id).progress()).contains("\"done\":3").contains("\"total\":10")
        .contains("three of ten");
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
  void gracefulShutdownFinishesShortJobsAndReleasesLongOnes() throws Exception {
    CountDownLatch longStarted = new CountDownLatch(1);
    Worker w = startWorker(b -> b.concurrency(2).shutdownGrace(Duration.ofMillis(800))
        .handler("test.long", ctx -> {
          longStarted.countDown();
          Thread.sleep(60_000);
          return null;
        }));
    String shortJob = enqueue("jobq.sleep", "{\"ms\":300}");
    String longJob = enqueue("test.long", "null");
    await().atMost(PATIENCE).until(() -> longStarted.getCount() == 0
        && job(shortJob).status() == JobStatus.ACTIVE);
    w.shutdown();
    assertThat(w.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(job(shortJob).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job(longJob).status()).isEqualTo(JobStatus.WAITING);
    List<Job> again = broker.claim(QUEUE, "test-claimer", 5, Duration.ofSeconds(5));
    assertThat(again).extracting(Job::id).containsExactly(longJob);
    assertThat(again.get(0).attempt()).isEqualTo(1); // the released attempt was not spent
  }
}
