package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerFailuresTest extends WorkerTestSupport {
  private static final Backoff QUICK = Backoff.fixed(Duration.ofMillis(50)).withJitter(0.5);

  /** Fails until the given attempt, and records what its callbacks heard. */
  static final class Flaky implements JobHandler {
    final int succeedFrom;
    final List<String> events = new CopyOnWriteArrayList<>();

    Flaky(int succeedFrom) {
      this.succeedFrom = succeedFrom;
    }

    @Override
    public Object handle(JobContext ctx) {
      if (ctx.attempt() < succeedFrom) {
        throw new IllegalStateException("attempt " + ctx.attempt());
      }
      return "ok";
    }

    @Override
    public void onSuccess(JobContext ctx, Object result) {
      events.add("success " + ctx.attempt());
    }

    @Override
    public void onFailure(JobContext ctx, Throwable error, boolean willRetry) {
      events.add("failure " + ctx.attempt() + (willRetry ? " retry" : " final"));
    }

    @Override
    public void onDeadLetter(JobContext ctx, Throwable error) {
      events.add("dead " + ctx.attempt());
    }
  }

  @Test
  void failedAttemptsAreRetriedWithBackoffUntilOneSucceeds() {
    Flaky flaky = new Flaky(3);
    startWorker(b -> b.handler("test.flaky", flaky));
    String id = enqueue("test.flaky", "null", r -> r.maxAttempts(3).backoff(QUICK));
    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(3);
    await().atMost(PATIENCE).until(() -> flaky.events.size() == 3);
    assertThat(flaky.events).containsExactly("failure 1 retry", "failure 2 retry", "success 3");
  }

  @Test
  void builtInFailHandlerSucceedsFromTheGivenAttempt() {
    startWorker(b -> b);
    String id = enqueue("jobq.fail", "{\"until\":2}", r -> r.maxAttempts(2).backoff(QUICK));
    assertThat(awaitStatus(id, JobStatus.COMPLETED).attempt()).isEqualTo(2);
  }

  @Test
  void lastFailedAttemptDeadLettersTheJob() {
    Flaky flaky = new Flaky(Integer.MAX_VALUE);
    startWorker(b -> b.handler("test.flaky", flaky));
    String id = enqueue("test.flaky", "null", r -> r.maxAttempts(2).backoff(QUICK));
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(2);
    assertThat(failed.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(failed.error()).isEqualTo("attempt 2");
    assertThat(failed.stack()).contains("Flaky.handle");
    await().atMost(PATIENCE).until(() -> flaky.events.size() == 3);
    assertThat(flaky.events).containsExactly("failure 1 retry", "failure 2 final", "dead 2");
  }

  @Test
  void permanentFailuresSkipTheRemainingAttempts() {
    startWorker(b -> b.permanentFailure(IllegalArgumentException.class)
        .handler("test.bad-input", ctx -> {
          throw new IllegalArgumentException("no such customer");
        }));
    String marked = enqueue("test.bad-input", "null", r -> r.maxAttempts(5));
    String builtIn = enqueue("jobq.fail", "{\"permanent\":true}", r -> r.maxAttempts(5));
    assertThat(awaitStatus(marked, JobStatus.FAILED).attempt()).isEqualTo(1);
    Job failed = awaitStatus(builtIn, JobStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.errorClass()).isEqualTo(PermanentFailureException.class.getName());
  }

  @Test
  void timeoutInterruptsTheHandlerAndFailsTheAttempt() {
    AtomicBoolean interrupted = new AtomicBoolean();
    startWorker(b -> b.concurrency(1).handler("test.stuck", ctx -> {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(ctx.isCancelled());
        throw e;
      }
      return null;
    }));
    String id = enqueue("test.stuck", "null", r -> r.maxAttempts(1).timeout(Duration.ofMillis(300)));
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.errorClass()).isEqualTo(JobTimeoutException.class.getName());
    assertThat(failed.error()).contains("timed out after 300 ms");
    assertThat(failed.stack()).contains("CountDownLatch.await"); // where the handler was stuck
    await().atMost(PATIENCE).untilTrue(interrupted);
    String next = enqueue("jobq.noop", "null");
    awaitStatus(next, JobStatus.COMPLETED); // the slot was freed
  }

  @Test
  void workersDefaultTimeoutAppliesToJobsWithoutOne() {
    startWorker(b -> b.defaultTimeout(Duration.ofMillis(200)));
    String id = enqueue("jobq.sleep", "{\"ms\":60000}", r -> r.maxAttempts(1));
    assertThat(awaitStatus(id, JobStatus.FAILED).errorClass())
        .isEqualTo(JobTimeoutException.class.getName());
  }

  @Test
  void unknownJobTypeFailsClearlyAndTheWorkerCarriesOn() {
    startWorker(b -> b.concurrency(1));
    String id = enqueue("no.such.type", "null", r -> r.maxAttempts(1));
    String next = enqueue("jobq.noop", "null");
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.errorClass()).isEqualTo(UnknownJobTypeException.class.getName());
    assertThat(failed.error()).startsWith("no handler for job type 'no.such.type' on worker")
        .contains("jobq.noop");
    awaitStatus(next, JobStatus.COMPLETED);
  }

  record Point(int x, int y) {}

  @Test
  void payloadThatCannotBeDecodedFailsPermanently() {
    startWorker(b -> b.handler("test.point", ctx -> ctx.payload(Point.class).x()));
    String id = enqueue("test.point", "{\"x\":\"not a number\"}", r -> r.maxAttempts(3));
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.errorClass()).isEqualTo(UndecodablePayloadException.class.getName());
    assertThat(failed.error()).contains("cannot be decoded as Point");
  }

  @Test
  void payloadThatIsNotJsonFailsPermanently() {
    startWorker(b -> b);
    // Straight to the broker: JobClient would have refused it.
    String id = broker.enqueue(List.of(JobRequest.builder("jobq.echo").queue(QUEUE)
        .payload("{not json").maxAttempts(3).build())).get(0).jobId();
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.error()).contains("cannot be decoded as JSON");
  }

  @Test
  void errorsFromHandlersFailTheAttemptAndNeverKillTheWorker() {
    AtomicInteger depth = new AtomicInteger();
    startWorker(b -> b.concurrency(1)
        .handler("test.recurse", ctx -> recurse(depth))
        .handler("test.oom", ctx -> {
          throw new OutOfMemoryError("thrown on purpose");
        }));
    String overflow = enqueue("test.recurse", "null", r -> r.maxAttempts(1));
    String oom = enqueue("test.oom", "null", r -> r.maxAttempts(1));
    String next = enqueue("jobq.noop", "null");
    assertThat(awaitStatus(overflow, JobStatus.FAILED).errorClass())
        .isEqualTo(StackOverflowError.class.getName());
    assertThat(awaitStatus(oom, JobStatus.FAILED).errorClass())
        .isEqualTo(OutOfMemoryError.class.getName());
    awaitStatus(next, JobStatus.COMPLETED);
  }

  private static int recurse(AtomicInteger depth) {
    depth.incrementAndGet();
    return recurse(depth) + 1;
  }

  @Test
  void callbackThatThrowsOnDeadLetterKeepsTheJobFailed() {
    startWorker(b -> b.handler("test.cb", new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        throw new IllegalStateException("handler fails");
      }

      @Override
      public void onDeadLetter(JobContext ctx, Throwable error) {
        throw new IllegalStateException("callback fails too");
      }
    }));
    String id = enqueue("test.cb", "null", r -> r.maxAttempts(1));
    assertThat(awaitStatus(id, JobStatus.FAILED).error()).isEqualTo("handler fails");
  }
}
