package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A job cancelled while its handler runs keeps its lease, and so its slot under a running limit,
 * until the handler has stopped: the worker renews the lease while the handler runs (for a
 * bounded time) and reports when it returns, which ends the lease at once.
 */
class WorkerCancelTest extends WorkerTestSupport {
  static final Duration LEASE = Duration.ofMillis(300);

  /** Lets the deaf handler return; always opened after the test, so no thread is left behind. */
  final CountDownLatch letGo = new CountDownLatch(1);
  final CountDownLatch started = new CountDownLatch(1);
  final AtomicInteger interrupts = new AtomicInteger();
  final AtomicBoolean sawCancel = new AtomicBoolean();
  volatile Instant returned;

  @BeforeEach
  void aLimitOfOneAndAWorkerWithRoomForMore() {
    client.setLimit(QUEUE, Limit.running(null, 1));
    // two threads: only the limit, never the worker's own slots, holds the second job back
    startWorker(b -> b.concurrency(2).lease(LEASE).handler("test.deaf", ctx -> {
      started.countDown();
      awaitIgnoringInterrupts();
      sawCancel.set(ctx.isCancelled());
      returned = broker.now();
      return null;
    }));
  }

  @AfterEach
  void letTheHandlerGo() {
    letGo.countDown();
  }

  /** A handler deaf to interrupts: it counts them and waits on. */
  private void awaitIgnoringInterrupts() {
    while (letGo.getCount() > 0) {
      try {
        letGo.await();
      } catch (InterruptedException e) {
        interrupts.incrementAndGet();
      }
    }
  }

  /** The job's lease deadline (ms) in the queue's active set; null when it holds none. */
  private Double lease(String id) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      return jedis.zscore(prefix + ":{" + QUEUE + "}:active", id);
    }
  }

  /** Starts the deaf job, cancels it, and answers its lease deadline right after the cancel. */
  private double cancelWhileRunning(String id) {
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);
    assertThat(client.cancel(QUEUE, id)).containsEntry(id, CancelOutcome.CANCELLED);
    Double firstDeadline = lease(id);
    assertThat(firstDeadline).as("a cancelled job keeps its lease while it runs").isNotNull();
    return firstDeadline;
  }

  @Test
  void theSlotOfACancelledJobIsFreedWhenItsHandlerReturnsNotBefore() {
    String id = enqueue("test.deaf", "null", b -> b.timeout(Duration.ofSeconds(60)));
    double firstDeadline = cancelWhileRunning(id);
    String next = enqueue("jobq.noop", "null");

    // Well past the lease it had when it was cancelled, the job still holds it, renewed.
    await().atMost(PATIENCE).until(() -> broker.now().toEpochMilli() > firstDeadline + 2 * LEASE.toMillis());
    assertThat(lease(id)).as("renewed past its first deadline").isNotNull()
        .isGreaterThan(firstDeadline);
    assertThat(job(next).status()).as("the limit's one slot is the cancelled job's")
        .isEqualTo(JobStatus.WAITING);
    assertThat(interrupts.get()).as("interrupted once, however often Redis says cancelled")
        .isEqualTo(1);

    letGo.countDown();
    await().atMost(PATIENCE).until(() -> lease(id) == null);
    Job done = awaitStatus(next, JobStatus.COMPLETED);
    assertThat(done.startedAt()).as("started after the handler returned").isAfterOrEqualTo(returned);
    assertThat(sawCancel).isTrue();
    Job cancelled = job(id);
    assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cancelled.result()).isNull();
    assertThat(broker.stats(QUEUE).totalFailedAttempts()).isZero();
  }

  @Test
  void aCancelledHandlerThatNeverReturnsHoldsItsSlotOnlyForAFewLeases() {
    String id = enqueue("test.deaf", "null"); // no timeout of its own
    double firstDeadline = cancelWhileRunning(id);
    String next = enqueue("jobq.noop", "null");

    await().atMost(PATIENCE).until(() -> {
      Double deadline = lease(id);
      return deadline != null && deadline > firstDeadline;
    });
    Job done = awaitStatus(next, JobStatus.COMPLETED);
    assertThat(letGo.getCount()).as("the handler still runs").isEqualTo(1);
    assertThat(lease(id)).isNull();
    assertThat(done.startedAt().toEpochMilli())
        .as("after the renewals stopped and the lease passed, not at the first deadline")
        .isGreaterThan((long) firstDeadline + 2 * LEASE.toMillis());
    assertThat(job(id).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(broker.stats(QUEUE).totalFailedAttempts()).isZero();
  }
}
