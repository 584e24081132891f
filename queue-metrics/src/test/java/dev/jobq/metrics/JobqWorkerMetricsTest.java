package dev.jobq.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import dev.jobq.worker.PermanentFailureException;
import dev.jobq.worker.Worker;
import dev.jobq.worker.WorkerListener.AttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real workers on a real Redis, their metrics read back from a real Micrometer registry. */
class JobqWorkerMetricsTest {
  static final String QUEUE = "work";
  static final Duration PATIENCE = Duration.ofSeconds(20);

  static {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
  }

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final JobqWorkerMetrics metrics = new JobqWorkerMetrics(registry);
  final List<Worker> workers = new ArrayList<>();
  RedisBroker broker;
  JobClient client;

  @BeforeEach
  void connect() {
    broker = RedisBroker.connect(RedisConfig.builder().url(TestRedis.shared().url())
        .prefix(TestRedis.uniquePrefix()).build());
    client = JobClient.create(broker);
  }

  @AfterEach
  void stop() {
    workers.forEach(Worker::close);
    broker.close();
  }

  Worker startWorker(UnaryOperator<Worker.Builder> settings) {
    Worker w = settings.apply(Worker.builder(broker).queues(QUEUE).concurrency(2)
        .lease(Duration.ofSeconds(1)).shutdownGrace(Duration.ofMillis(200)).listener(metrics)
        .builtInHandlers(false)).build();
    workers.add(w);
    w.start();
    return w;
  }

  String enqueue(String type, UnaryOperator<JobRequest.Builder> more) {
    return client.enqueue(more.apply(JobRequest.builder(type).queue(QUEUE)).build()).jobId();
  }

  double jobs(String type, String outcome) {
    Counter c = registry.find("jobq.jobs")
        .tags("queue", QUEUE, "type", type, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  long timerCount(String name, String type) {
    Timer t = registry.find(name).tags("queue", QUEUE, "type", type).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void completedJobsAreCountedTimedAndTheirWaitRecorded() {
    startWorker(b -> b.handler("ok", ctx -> "done"));
    for (int i = 0; i < 3; i++) {
      enqueue("ok", b -> b);
    }
    await().atMost(PATIENCE).until(() -> jobs("ok", "completed") == 3);
    assertThat(timerCount("jobq.job.duration", "ok")).isEqualTo(3);
    assertThat(timerCount("jobq.job.wait", "ok")).isEqualTo(3);
    assertThat(jobs("ok", "retried") + jobs("ok", "dead_lettered")).isZero();
    assertThat(registry.get("jobq.claimed.jobs").tag("queue", QUEUE).counter().count())
        .isEqualTo(3);
    assertThat(registry.get("jobq.claims").tag("queue", QUEUE).counter().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(registry.get("jobq.redis.calls").tag("call", "complete").timer().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(registry.get("jobq.redis.calls").tag("call", "claim").timer().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aFailingJobIsRetriedThenDeadLettered() {
    startWorker(b -> b.handler("flaky", ctx -> {
      throw new IllegalStateException("always");
    }));
    String id = enqueue("flaky", b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10))));
    await().atMost(PATIENCE).until(() -> jobs("flaky", "dead_lettered") == 1);
    assertThat(jobs("flaky", "retried")).isEqualTo(1);
    assertThat(jobs("flaky", "completed")).isZero();
    assertThat(timerCount("jobq.job.duration", "flaky")).isEqualTo(2);
    assertThat(broker.get(QUEUE, id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void aPermanentFailureIsDeadLetteredWithoutRetry() {
    startWorker(b -> b.handler("bad", ctx -> {
      throw new PermanentFailureException("no such account");
    }));
    enqueue("bad", b -> b.maxAttempts(5));
    await().atMost(PATIENCE).until(() -> jobs("bad", "dead_lettered") == 1);
    assertThat(jobs("bad", "retried")).isZero();
  }

  @Test
  void aTimeoutIsCountedAndItsAttemptEndsAsAFailure() {
    startWorker(b -> b.handler("slow", ctx -> {
      new CountDownLatch(1).await(); // until the timeout interrupts it
      return null;
    }));
    enqueue("slow", b -> b.maxAttempts(1).timeout(Duration.ofMillis(100)));
    await().atMost(PATIENCE).until(() -> jobs("slow", "dead_lettered") == 1);
    assertThat(registry.get("jobq.job.timeouts").tags("queue", QUEUE, "type", "slow").counter()
        .count()).isEqualTo(1);
    Timer duration = registry.get("jobq.job.duration").tags("queue", QUEUE, "type", "slow").timer();
    assertThat(duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(100);
  }

  @Test
  void aJobCancelledWhileRunningIsCountedCancelled() {
    CountDownLatch started = new CountDownLatch(1);
    startWorker(b -> b.handler("long", ctx -> {
      started.countDown();
      new CountDownLatch(1).await(); // until the cancel interrupts it
      return null;
    }));
    String id = enqueue("long", b -> b);
    await().atMost(PATIENCE).until(() -> started.getCount() == 0);
    client.cancel(QUEUE, id);
    await().atMost(PATIENCE).until(() -> jobs("long", "cancelled") == 1);
    assertThat(jobs("long", "completed") + jobs("long", "stalled")).isZero();
  }

  @Test
  void busyThreadsShowRunningHandlersAndShutdownReleasesThem() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    Worker w = startWorker(b -> b.handler("hold", ctx -> {
      running.countDown();
      new CountDownLatch(1).await(); // until the shutdown interrupts it
      return null;
    }));
    enqueue("hold", b -> b);
    enqueue("hold", b -> b);
    await().atMost(PATIENCE).until(() -> running.getCount() == 0);
    assertThat(registry.get("jobq.worker.busy").gauge().value()).isEqualTo(2);
    assertThat(registry.get("jobq.worker.concurrency").gauge().value()).isEqualTo(2);
    assertThat(registry.get("jobq.worker.outbox").gauge().value()).isZero();
    w.shutdown();
    assertThat(jobs("hold", "released")).isEqualTo(2);
    assertThat(registry.get("jobq.worker.busy").gauge().value()).isZero();
  }

  @Test
  void typesPastTheBoundShareTheOtherTag() {
    SimpleMeterRegistry own = new SimpleMeterRegistry();
    JobqWorkerMetrics m = new JobqWorkerMetrics(own);
    int types = JobqWorkerMetrics.MAX_TYPES + 50;
    for (int i = 0; i < types; i++) {
      m.jobEnded(QUEUE, "type-" + i, AttemptOutcome.COMPLETED, 1_000_000);
    }
    m.jobEnded(QUEUE, "type-0", AttemptOutcome.COMPLETED, 1_000_000);
    long tagged = own.find("jobq.jobs").tag("outcome", "completed").counters().stream()
        .map(c -> c.getId().getTag("type")).distinct().count();
    assertThat(tagged).isEqualTo(JobqWorkerMetrics.MAX_TYPES + 1);
    assertThat(own.get("jobq.jobs").tags("type", JobqWorkerMetrics.OTHER_TYPE, "outcome",
        "completed").counter().count()).isEqualTo(50);
    assertThat(own.get("jobq.jobs").tags("type", "type-0", "outcome", "completed").counter()
        .count()).isEqualTo(2);
  }

  @Test
  void anOutageShowsAsSecondsUnavailableAndTheOutboxHoldsTheResult() throws Exception {
    // the append-only file keeps the job across the restart
    try (TestRedis own = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
        RedisBroker ownBroker = RedisBroker.connect(RedisConfig.builder().url(own.url())
            .prefix(TestRedis.uniquePrefix()).build())) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      Worker w = Worker.builder(ownBroker).queues(QUEUE).concurrency(1).listener(metrics)
          .lease(Duration.ofSeconds(5)).shutdownGrace(Duration.ofMillis(200))
          .handler("wait", ctx -> {
            started.countDown();
            finish.await();
            return null;
          }).build();
      workers.add(w);
      w.start();
      JobClient.create(ownBroker).enqueue(JobRequest.builder("wait").queue(QUEUE).build());
      await().atMost(PATIENCE).until(() -> started.getCount() == 0);
      assertThat(gauge("jobq.redis.unavailable")).isZero();

      own.stop();
      finish.countDown(); // its result finds Redis away and waits in the outbox
      await().atMost(PATIENCE).until(() -> gauge("jobq.worker.outbox") == 1
          && gauge("jobq.redis.unavailable") > 0);
      assertThat(registry.get("jobq.redis.outages").counter().count()).isEqualTo(1);

      own.restart();
      await().atMost(PATIENCE).until(() -> jobs("wait", "completed") == 1);
      await().atMost(PATIENCE).until(() -> gauge("jobq.redis.unavailable") == 0);
      assertThat(gauge("jobq.worker.outbox")).isZero();
    }
  }

  @Test
  void aStoppedWorkerNoLongerCountsInTheGauges() {
    Worker first = startWorker(b -> b.concurrency(2).handler("noop", ctx -> null));
    startWorker(b -> b.concurrency(3).handler("noop", ctx -> null));
    assertThat(gauge("jobq.worker.concurrency")).isEqualTo(5);
    first.shutdown();
    assertThat(gauge("jobq.worker.concurrency")).isEqualTo(3);
  }

  @Test
  void oneWorkerBackDoesNotHideAnotherStillCutOff() {
    try (TestRedis one = TestRedis.start(); TestRedis two = TestRedis.start();
        RedisBroker oneBroker = RedisBroker.connect(RedisConfig.builder().url(one.url())
            .prefix(TestRedis.uniquePrefix()).build());
        RedisBroker twoBroker = RedisBroker.connect(RedisConfig.builder().url(two.url())
            .prefix(TestRedis.uniquePrefix()).build())) {
      Worker onOne = idleWorker(oneBroker);
      Worker onTwo = idleWorker(twoBroker);
      one.stop();
      two.stop();
      await().atMost(PATIENCE).until(() -> onOne.redisUnavailableNanos() > 0
          && onTwo.redisUnavailableNanos() > 0);

      two.restart();
      await().atMost(PATIENCE).until(() -> onTwo.redisUnavailableNanos() == 0);
      assertThat(gauge("jobq.redis.unavailable")).as("the first worker's Redis is still away")
          .isGreaterThan(0);

      one.restart();
      await().atMost(PATIENCE).until(() -> gauge("jobq.redis.unavailable") == 0);
      // at least one per worker: a Redis still starting may refuse a call once more
      assertThat(registry.get("jobq.redis.outages").counter().count()).isGreaterThanOrEqualTo(2);
    }
  }

  private Worker idleWorker(RedisBroker on) {
    Worker w = Worker.builder(on).queues(QUEUE).concurrency(1).listener(metrics)
        .lease(Duration.ofSeconds(1)).shutdownGrace(Duration.ofMillis(200))
        .handler("noop", ctx -> null).build();
    workers.add(w);
    w.start();
    return w;
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
