package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.JobStatus;
import dev.jobq.worker.WorkerListener.AttemptOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerListenerTest extends WorkerTestSupport {

  /** Writes down the ends of attempts as "type outcome". */
  static final class Ends implements WorkerListener {
    final List<String> ends = new CopyOnWriteArrayList<>();
    final List<Long> waits = new CopyOnWriteArrayList<>();

    @Override
    public void jobStarted(String queue, String type, long waitMillis) {
      waits.add(waitMillis);
    }

    @Override
    public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
      ends.add(type + " " + outcome.tag());
    }
  }

  /** Lets the deaf handler return; always opened after the test, so no thread is left behind. */
  final CountDownLatch letGo = new CountDownLatch(1);
  volatile Thread deafThread;
  final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

  @AfterEach
  void letTheHandlerGo() {
    letGo.countDown();
  }

  /** A handler deaf to interrupts, on its first run only; later runs return at once. */
  private Object deaf(dev.jobq.JobContext ctx) {
    if (runs.getAndIncrement() > 0) {
      return null; // a released job's next run has the same attempt number: count runs
    }
    deafThread = Thread.currentThread();
    while (letGo.getCount() > 0) {
      try {
        letGo.await();
      } catch (InterruptedException ignored) {
        // deaf
      }
    }
    return null;
  }

  /**
   * Lets the deaf handler return and waits until its thread has reported whatever it reports
   * and is back in the worker's pool (idle there: TIMED_WAITING for its next task) or gone.
   * Any report it made (a broker call, a log line, a lock) leaves it RUNNABLE, WAITING or
   * BLOCKED, never TIMED_WAITING.
   */
  private void releaseDeafHandlerAndAwaitItsReport() {
    await().atMost(PATIENCE).until(() -> deafThread != null);
    Thread t = deafThread;
    letGo.countDown();
    await().atMost(PATIENCE).until(() -> !t.isAlive() || t.getState() == Thread.State.TIMED_WAITING);
  }

  @Test
  void anAbandonedCancelledAttemptEndsOnceWhenItsHandlerReturnsAtLast() {
    Ends listener = new Ends();
    startWorker(b -> b.listener(listener).lease(Duration.ofMillis(200)).handler("deaf", this::deaf));
    String id = enqueue("deaf", "null"); // no timeout: given up after a few leases
    await().atMost(PATIENCE).until(() -> deafThread != null);
    client.cancel(QUEUE, id);
    await().atMost(PATIENCE).until(() -> !listener.ends.isEmpty());

    releaseDeafHandlerAndAwaitItsReport();
    assertThat(listener.ends).containsExactly("deaf cancelled");
    assertThat(job(id).status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void aStalledAttemptEndsOnceWhenItsHandlerReturnsAtLast() {
    Ends listener = new Ends();
    startWorker(b -> b.listener(listener).lease(Duration.ofMillis(200)).handler("deaf", this::deaf));
    String id = enqueue("deaf", "null");
    await().atMost(PATIENCE).until(() -> deafThread != null);
    // someone else ends the lease: the worker's next renewal finds it lost
    assertThat(broker.release(QUEUE, id, job(id).token())).isTrue();
    awaitStatus(id, JobStatus.COMPLETED); // the second attempt returns at once

    releaseDeafHandlerAndAwaitItsReport();
    assertThat(listener.ends).containsExactlyInAnyOrder("deaf stalled", "deaf completed");
  }

  @Test
  void anAttemptReleasedAtShutdownEndsOnceWhenItsHandlerReturnsAtLast() {
    Ends listener = new Ends();
    Worker w = startWorker(b -> b.listener(listener).handler("deaf", this::deaf));
    String id = enqueue("deaf", "null");
    await().atMost(PATIENCE).until(() -> deafThread != null);
    w.close(); // the grace passes, the job is released while its handler still runs
    assertThat(job(id).status()).isEqualTo(JobStatus.WAITING);

    releaseDeafHandlerAndAwaitItsReport();
    assertThat(listener.ends).containsExactly("deaf released");
  }

  @Test
  void eachAttemptEndsOnceWithItsOutcome() {
    Ends listener = new Ends();
    startWorker(b -> b.listener(listener)
        .handler("ok", ctx -> null)
        .handler("flaky", ctx -> {
          throw new IllegalStateException("no");
        }));
    enqueue("ok", "{}");
    String flaky = enqueue("flaky", "{}",
        b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10))));

    awaitStatus(flaky, JobStatus.FAILED);
    await().atMost(PATIENCE).until(() -> listener.ends.size() == 3);
    assertThat(listener.ends).containsExactlyInAnyOrder("ok completed", "flaky retried",
        "flaky dead_lettered");
    assertThat(listener.waits).hasSize(3).allMatch(w -> w >= 0);
  }

  @Test
  void aListenerThatThrowsChangesNoOutcome() {
    WorkerListener broken = new WorkerListener() {
      @Override
      public void jobStarted(String queue, String type, long waitMillis) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void claimed(String queue, int jobs) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void redisCalled(RedisCall call, long nanos) {
        throw new IllegalStateException("broken listener");
      }
    };
    startWorker(b -> b.listener(broken).handler("ok", ctx -> "done"));
    String id = enqueue("ok", "{}");
    assertThat(awaitStatus(id, JobStatus.COMPLETED).result()).isEqualTo("\"done\"");
  }
}
