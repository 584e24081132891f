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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  void failedAttemptWaitsItsJitteredBackoffBeforeItRunsAgain() {
    // fixed 1 s ± 50 %: each retry falls due between 0.5 s and 1.5 s after its failure
    Backoff backoff = Backoff.fixed(Duration.ofSeconds(1)).withJitter(0.5);
    Map<String, Job> seenAfterFailure = new ConcurrentHashMap<>();
    Map<String, Instant> failureReportedBy = new ConcurrentHashMap<>();
    startWorker(b -> b.concurrency(8).handler("test.once", new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        if (ctx.attempt() == 1) {
          throw new IllegalStateException("first attempt fails");
        }
        return "ok";
      }

      @Override
      public void onFailure(JobContext ctx, Throwable error, boolean willRetry) {
        // runs after the failure is recorded in Redis
        failureReportedBy.put(ctx.id(), broker.now());
        seenAfterFailure.put(ctx.id(), job(ctx.id()));
      }
    }));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(enqueue("test.once", "null", r -> r.maxAttempts(2).backoff(backoff)));
    }
    List<Long> delays = new ArrayList<>();
    for (String id : ids) {
      Job done = awaitStatus(id, JobStatus.COMPLETED);
      Job delayed = seenAfterFailure.get(id);
      assertThat(delayed.status()).isEqualTo(JobStatus.DELAYED);
      assertThat(delayed.error()).isEqualTo("first attempt fails");
      // The failure was recorded between the attempt's start and the callback, all on Redis's
      // clock; so the delay it was given lies between these two.
      long atLeast = delayed.runAt().toEpochMilli() - failureReportedBy.get(id).toEpochMilli();
      long atMost = delayed.runAt().toEpochMilli() - delayed.startedAt().toEpochMilli();
      assertThat(atMost).as("delay of %s", id).isGreaterThanOrEqualTo(500);
      assertThat(atLeast).as("delay of %s", id).isLessThanOrEqualTo(1_500);
      assertThat(done.attempt()).isEqualTo(2);
      assertThat(done.startedAt()).as("retry of %s ran before it was due", id)
          .isAfterOrEqualTo(delayed.runAt());
      delays.add(atMost);
    }
    // Without jitter the eight would all wait 1 s; with it they spread over a second.
    assertThat(Collections.max(delays) - Collections.min(delays)).isGreaterThan(100);
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
    assertThat(broker.list(QUEUE, JobStatus.FAILED, 0, 10).jobs()).extracting(Job::id)
        .containsExactly(id);
    await().atMost(PATIENCE).until(() -> flaky.events.size() == 3);
    assertThat(flaky.events).containsExactly("failure 1 retry", "failure 2 final", "dead 2");
  }

  @Test
  void permanentFailuresSkipTheRemainingAttempts() {
    startWorker(b -> b.permanentFailure(IllegalArgumentException.class)
        .handler("test.bad-input", ctx -> {
          throw new IllegalArgumentException("no such customer");
        })
        .handler("test.wrapped", ctx -> {
          throw new IllegalStateException("lookup failed",
              new IllegalArgumentException("no such customer"));
        }));
    String marked = enqueue("test.bad-input", "null", r -> r.maxAttempts(5));
    String wrapped = enqueue("test.wrapped", "null", r -> r.maxAttempts(5));
    String builtIn = enqueue("jobq.fail", "{\"permanent\":true}", r -> r.maxAttempts(5));
    assertThat(awaitStatus(marked, JobStatus.FAILED).attempt()).isEqualTo(1);
    Job byCause = awaitStatus(wrapped, JobStatus.FAILED);
    assertThat(byCause.attempt()).isEqualTo(1);
    assertThat(byCause.errorClass()).isEqualTo(IllegalStateException.class.getName());
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

  /** Java cannot stop such a thread; the worker gives up on it and goes on with one more. */
  @Test
  void handlerThatIgnoresItsTimeoutInterruptLosesItsSlotAndTheWorkerGoesOn() {
    AtomicBoolean release = new AtomicBoolean();
    AtomicInteger interrupts = new AtomicInteger();
    startWorker(b -> b.concurrency(1).handler("test.deaf", ctx -> {
      while (!release.get()) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException ignored) {
          interrupts.incrementAndGet();
        }
      }
      return null;
    }));
    try {
      String deaf = enqueue("test.deaf", "null", r -> r.maxAttempts(1).timeout(Duration.ofMillis(200)));
      assertThat(awaitStatus(deaf, JobStatus.FAILED).errorClass())
          .isEqualTo(JobTimeoutException.class.getName());
      String next = enqueue("jobq.noop", "null");
      awaitStatus(next, JobStatus.COMPLETED); // on the one slot, while the deaf handler still runs
      assertThat(interrupts.get()).isEqualTo(1);
      assertThat(job(deaf).status()).isEqualTo(JobStatus.FAILED);
    } finally {
      release.set(true);
    }
  }

  @Test
  void workersDefaultTimeoutAppliesToJobsWithoutOne() {
    startWorker(b -> b.defaultTimeout(Duration.ofMillis(200)));
    String id = enqueue("jobq.sleep", "{\"ms\":60000}", r -> r.maxAttempts(1));
    assertThat(awaitStatus(id, JobStatus.FAILED).errorClass())
        .isEqualTo(JobTimeoutException.class.getName());
  }

  @Test
  void unknownJobTypeFailsTheAttemptClearlyAndIsRetriedForAWorkerThatKnowsIt() {
    Worker old = startWorker(b -> b.concurrency(1));
    String id = enqueue("report.build", "null",
        r -> r.maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(1)))); // > the test's steps
    String next = enqueue("jobq.noop", "null");
    await().atMost(PATIENCE).until(() -> job(id).attempt() == 1
        && job(id).status() == JobStatus.DELAYED);
    Job retrying = job(id);
    assertThat(retrying.errorClass()).isEqualTo(UnknownJobTypeException.class.getName());
    assertThat(retrying.error()).startsWith("no handler for job type 'report.build' on worker "
        + old.name()).contains("jobq.noop");
    awaitStatus(next, JobStatus.COMPLETED); // the worker carried on
    old.shutdown();
    // The new version of the worker, rolled out meanwhile, knows the type.
    startWorker(b -> b.handler("report.build", ctx -> "built"));
    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.result()).isEqualTo("\"built\"");
  }

  @Test
  void unknownJobTypeIsDeadLetteredAfterItsLastAttempt() {
    startWorker(b -> b);
    String id = enqueue("no.such.type", "null",
        r -> r.maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(50))));
    Job failed = awaitStatus(id, JobStatus.FAILED);
    assertThat(failed.attempt()).isEqualTo(2);
    assertThat(failed.errorClass()).isEqualTo(UnknownJobTypeException.class.getName());
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
  void callbacksThatThrowNeverChangeTheOutcome() {
    List<String> called = new CopyOnWriteArrayList<>();
    startWorker(b -> b.concurrency(1).handler("test.cb", new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        if (ctx.payloadTree().path("failUntil").asInt() > ctx.attempt()) {
          throw new IllegalStateException("handler fails");
        }
        return "ok";
      }

      @Override
      public void onSuccess(JobContext ctx, Object result) {
        called.add("success");
        throw new IllegalStateException("onSuccess fails");
      }

      @Override
      public void onFailure(JobContext ctx, Throwable error, boolean willRetry) {
        called.add(willRetry ? "failure, retry" : "failure, final");
        throw new IllegalStateException("onFailure fails");
      }

      @Override
      public void onDeadLetter(JobContext ctx, Throwable error) {
        called.add("dead letter");
        throw new IllegalStateException("onDeadLetter fails");
      }
    }));
    String retried = enqueue("test.cb", "{\"failUntil\":2}", r -> r.maxAttempts(2).backoff(QUICK));
    Job completed = awaitStatus(retried, JobStatus.COMPLETED);
    assertThat(completed.attempt()).isEqualTo(2);
    assertThat(completed.result()).isEqualTo("\"ok\"");
    String dead = enqueue("test.cb", "{\"failUntil\":9}", r -> r.maxAttempts(1));
    assertThat(awaitStatus(dead, JobStatus.FAILED).error()).isEqualTo("handler fails");
    await().atMost(PATIENCE).until(() -> called.size() == 4);
    assertThat(called).containsExactly("failure, retry", "success", "failure, final", "dead letter");
    awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED); // and the worker carries on
  }
}
