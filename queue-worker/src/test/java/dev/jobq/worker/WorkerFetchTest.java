package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.WorkerControl;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The fetch loop, watched from Redis's side: each test has a Redis of its own, so its client
 * list and command counts show this one worker only. The lease is a minute, so that no lease
 * renewal (a script call) happens while a test counts script calls.
 */
class WorkerFetchTest extends WorkerTestSupport {
  private static final Duration QUIET_LEASE = Duration.ofSeconds(60);
  private Jedis admin;

  @Override
  TestRedis redis() {
    return TestRedis.start();
  }

  @BeforeEach
  void connectAdmin() {
    admin = new Jedis(redis.host(), redis.port());
  }

  @AfterEach
  void closeAdmin() {
    admin.close();
  }

  /** Some connection is blocked in Redis on BLPOP: the worker's idle wait. */
  private boolean waitingInRedis() {
    return admin.clientList().lines()
        .anyMatch(l -> l.contains(" cmd=blpop ") && l.matches(".* flags=[A-Za-z]*b.*"));
  }

  /** How many scripts (claims, enqueues, renewals, completions) Redis has run. */
  private long scriptCalls() {
    return admin.info("commandstats").lines()
        .filter(l -> l.startsWith("cmdstat_evalsha:"))
        .map(l -> l.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"))
        .mapToLong(Long::parseLong).findFirst().orElse(0);
  }

  @Test
  void idleWorkerWaitsInRedisWithoutPollingAndAnEnqueueWakesItAtOnce() {
    startWorker(b -> b.lease(QUIET_LEASE));
    awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED); // scripts loaded, loop idle
    await().atMost(PATIENCE).until(this::waitingInRedis);
    long before = scriptCalls();
    // Idle for longer than one blocking wait (2 s): at most a claim per wait, never a poll loop.
    await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(5))
        .until(() -> scriptCalls() - before <= 2);

    for (int round = 0; round < 3; round++) {
      // The loop blocked right after its last claim, which found the job before this one: the
      // wait has just begun and would last 2 s. A start well within that came from the wake-up.
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(this::waitingInRedis);
      String id = enqueue("jobq.noop", "null");
      await().atMost(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(5))
          .until(() -> job(id).status() == JobStatus.COMPLETED);
    }
  }

  /** The worker's own idle wait, not the test's: the test names its connections. */
  private boolean workerWaitingInRedis() {
    return admin.clientList().lines().anyMatch(l -> l.contains(" cmd=blpop ")
        && l.matches(".* flags=[A-Za-z]*b.*") && !l.contains(" name=test-"));
  }

  @Test
  void aWorkerToldToBeQuietWhileItWaitsHandsTheWakeUpToTheNextIdleWorker() throws Exception {
    Worker w = startWorker(b -> b.lease(QUIET_LEASE).heartbeatInterval(Duration.ofMillis(100)));
    awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED);
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(this::workerWaitingInRedis);
    client.controlWorker(w.name(), new WorkerControl(WorkerControl.State.QUIET, null));
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> client.workers()
        .stream().anyMatch(i -> i.id().equals(w.name()) && i.state().equals("quiet")));

    try (Jedis next = new Jedis(redis.host(), redis.port())) {
      // the next idle worker: a wait on the queue's wake-up that Redis serves after the worker's
      next.clientSetname("test-next-idle-worker");
      CompletableFuture<List<String>> woken = CompletableFuture.supplyAsync(
          () -> next.blpop(10, prefix + ":{" + QUEUE + "}:wake"));
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> admin.clientList()
          .lines().anyMatch(l -> l.contains(" name=test-next-idle-worker ")
              && l.contains(" cmd=blpop ")));
      assumeTrue(workerWaitingInRedis(), "the worker's 2 s wait ended before it was told; rerun");

      String id = enqueue("jobq.noop", "null");

      assertThat(woken.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the wake-up handed on")
          .isNotNull();
      assertThat(job(id).status()).isEqualTo(JobStatus.WAITING);
    }
  }

  @Test
  void oneClaimTakesAsManyJobsAsThereAreFreeThreads() {
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    startWorker(b -> b.concurrency(4).lease(QUIET_LEASE).handler("test.hold", ctx -> {
      running.incrementAndGet();
      go.await();
      return null;
    }));
    awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED); // scripts loaded, loop idle
    await().atMost(PATIENCE).until(this::waitingInRedis);
    long before = scriptCalls();

    List<JobRequest> six = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      six.add(JobRequest.builder("test.hold").queue(QUEUE).build());
    }
    List<String> ids = client.enqueueAll(six).stream().map(r -> r.jobId()).toList();
    await().atMost(PATIENCE).until(() -> running.get() == 4);

    // The enqueue, then a single claim for the four free threads; the other two wait.
    assertThat(scriptCalls() - before).isEqualTo(2);
    assertThat(broker.stats(QUEUE).active()).isEqualTo(4);
    assertThat(broker.stats(QUEUE).waitingTotal()).isEqualTo(2);
    go.countDown();
    ids.forEach(id -> awaitStatus(id, JobStatus.COMPLETED));
  }
}
