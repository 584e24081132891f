package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.WorkerInfo;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.RedisProxy;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis going away, on a Redis of each test's own (append-only file, fsync always): killed under
 * load and back on the same port a few seconds later; or too busy to answer in time.
 */
class WorkerRedisOutageTest extends WorkerTestSupport {
  private static final int JOBS = 300;
  private WorkerProcesses workers;

  @Override
  TestRedis redis() {
    return TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
  }

  @BeforeEach
  void prepare() {
    workers = new WorkerProcesses(redis.url(), prefix, QUEUE);
  }

  @AfterEach
  void killWorkers() {
    workers.close(); // before the doctor looks at the queue
  }

  @Test
  void workersRideOutARedisOutageUnderLoadAndLoseNoJob() {
    Process a = workers.launch("a", 4, 30_000, 5_000);
    Process b = workers.launch("b", 4, 30_000, 5_000);
    await().atMost(PATIENCE).until(() -> broker.workers().stream().map(WorkerInfo::id)
        .collect(Collectors.toSet()).containsAll(List.of("a", "b")));
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      requests.add(JobRequest.builder("jobq.sleep").queue(QUEUE).payload("{\"ms\":100}").build());
    }
    List<String> ids = client.enqueueAll(requests).stream().map(r -> r.jobId()).toList();
    // Eight threads at 100 ms a job: about four seconds of work. Pull the plug in its midst.
    await().atMost(PATIENCE).until(() -> {
      var stats = broker.stats(QUEUE);
      return stats.completed() >= 40 && stats.active() > 0;
    });

    redis.kill();
    // Away for a few seconds, and at least until both workers have run into it.
    await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() ->
        workers.log("a").contains("Redis is unreachable")
            && workers.log("b").contains("Redis is unreachable"));
    assertThat(a.isAlive()).isTrue();
    assertThat(b.isAlive()).isTrue();
    redis.restart();

    await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> broker.stats(QUEUE).completed() == JOBS);
    for (String id : ids) {
      assertThat(job(id).status()).as(id).isEqualTo(JobStatus.COMPLETED);
    }
    assertThat(broker.stats(QUEUE).totalCompleted()).isEqualTo(JOBS); // each completed once
    // Both went on after the outage: each logged the recovery and completed jobs after it.
    for (String name : List.of("a", "b")) {
      String log = workers.log(name);
      int back = log.indexOf("Redis is reachable again");
      assertThat(back).as("worker %s saw Redis come back", name).isPositive();
      assertThat(log.indexOf("completed in", back)).as("worker %s worked on", name).isPositive();
    }
    assertThat(a.isAlive()).isTrue();
    assertThat(b.isAlive()).isTrue();
  }

  /**
   * The worker's complete and fail reach Redis and run, but the answers are lost on the way
   * back (the worker gives up waiting), so it tries again from its outbox, and Redis refuses
   * the second try: the job is finished already. The worker must see that its own first try is
   * what Redis recorded: the outcome stands, the callbacks run once, no lease loss is reported.
   */
  @Test
  void outcomesWhoseAnswersWereLostCountAsDeliveredWhenTheirRetryIsRefused() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> callbacks = new CopyOnWriteArrayList<>();
    try (RedisProxy proxy = new RedisProxy(redis.host(), redis.port());
        RedisBroker viaProxy = RedisBroker.connect(RedisConfig.builder().url(proxy.url())
            .prefix(prefix).socketTimeout(Duration.ofMillis(300)).build())) {
      Worker worker = Worker.builder(viaProxy).queues(QUEUE).concurrency(2).name("cut-off")
          .lease(Duration.ofSeconds(3)).shutdownGrace(Duration.ofSeconds(1))
          .handler("test.gated", new JobHandler() {
            @Override
            public Object handle(JobContext ctx) throws InterruptedException {
              gate.await();
              if (ctx.payloadTree().path("fail").asBoolean()) {
                throw new IllegalStateException("failing on purpose");
              }
              return "done";
            }

            @Override
            public void onSuccess(JobContext ctx, Object result) {
              callbacks.add("success " + result);
            }

            @Override
            public void onFailure(JobContext ctx, Throwable error, boolean willRetry) {
              callbacks.add("failure " + (willRetry ? "retry" : "final"));
            }

            @Override
            public void onDeadLetter(JobContext ctx, Throwable error) {
              callbacks.add("dead letter");
            }
          })
          .build();
      openConnections(viaProxy, 8);
      worker.start();
      try {
        // Redis learns the complete and fail scripts first: a NOSCRIPT answer lost on the way
        // would leave nothing run at all.
        awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED);
        awaitStatus(enqueue("jobq.fail", "{}", r -> r.maxAttempts(1)), JobStatus.FAILED);
        String completes = enqueue("test.gated", "{}");
        String fails = enqueue("test.gated", "{\"fail\":true}", r -> r.maxAttempts(1));
        awaitStatus(completes, JobStatus.ACTIVE);
        awaitStatus(fails, JobStatus.ACTIVE);

        proxy.dropReplies(true);
        gate.countDown();
        // Redis has the outcomes; the worker heard nothing back.
        Job done = awaitStatus(completes, JobStatus.COMPLETED);
        Job failed = awaitStatus(fails, JobStatus.FAILED);
        proxy.dropReplies(false);

        await().atMost(PATIENCE).until(() -> callbacks.size() == 3);
        assertThat(callbacks).containsExactlyInAnyOrder(
            "success done", "failure final", "dead letter");
        assertThat(job(completes)).isEqualTo(done);
        assertThat(job(fails)).isEqualTo(failed);
        assertThat(failed.error()).isEqualTo("failing on purpose");
        // The heartbeat counts both outcomes as this worker's (and the two warm-up jobs).
        await().atMost(PATIENCE).until(() -> broker.workers().stream().anyMatch(
            i -> i.id().equals("cut-off") && i.processed() == 4 && i.failed() == 2));
      } finally {
        worker.close();
      }
    }
  }

  /**
   * A claim runs in Redis but its answer is lost: the job is ACTIVE, leased to the worker,
   * which never heard of it. Left alone it would sit out its lease (a minute here) and then lose
   * its only attempt to the reaper without having run. Once Redis answers again the worker finds
   * it, releases it unspent, and runs it.
   */
  @Test
  void jobOfAClaimWhoseAnswerWasLostIsReleasedUnspentAndRuns() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (RedisProxy proxy = new RedisProxy(redis.host(), redis.port());
        RedisBroker viaProxy = RedisBroker.connect(RedisConfig.builder().url(proxy.url())
            .prefix(prefix).socketTimeout(Duration.ofMillis(300)).build())) {
      Worker worker = Worker.builder(viaProxy).queues(QUEUE).concurrency(1).name("cut-off")
          .lease(Duration.ofMinutes(1)).shutdownGrace(Duration.ofSeconds(1))
          .handler("test.gated", ctx -> {
            gate.await();
            return null;
          })
          .build();
      openConnections(viaProxy, 8);
      worker.start();
      try {
        awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED); // scripts loaded
        String first = enqueue("test.gated", "{}");
        awaitStatus(first, JobStatus.ACTIVE); // its one thread is busy: no claim under way
        String next = enqueue("jobq.noop", "null", r -> r.maxAttempts(1));

        proxy.dropReplies(true);
        gate.countDown(); // the thread comes free and the fetch loop claims the next job
        await().atMost(PATIENCE).until(() -> job(next).status() == JobStatus.ACTIVE);
        Job claimed = job(next);
        assertThat(claimed.worker()).isEqualTo("cut-off");
        assertThat(claimed.attempt()).isEqualTo(1);
        proxy.dropReplies(false);

        Job done = awaitStatus(next, JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(1); // released unspent, then claimed again
        assertThat(done.errorClass()).isNull(); // not reaped
        assertThat(done.token()).isGreaterThan(claimed.token());
        awaitStatus(first, JobStatus.COMPLETED);
      } finally {
        worker.close();
      }
    }
  }

  /**
   * The idle worker's blocking wait loses its answer (a connection gone half-open: no reset, no
   * reply). The wait is bounded by two seconds, so the worker must notice and wait again, and run
   * the next job enqueued once the connection works again.
   */
  @Test
  void idleWorkerWhoseWaitLostItsAnswerStillRunsTheNextJob() throws Exception {
    try (RedisProxy proxy = new RedisProxy(redis.host(), redis.port());
        RedisBroker viaProxy = RedisBroker.connect(RedisConfig.builder().url(proxy.url())
            .prefix(prefix).socketTimeout(Duration.ofMillis(300)).build());
        Jedis admin = new Jedis(redis.host(), redis.port())) {
      Worker worker = Worker.builder(viaProxy).queues(QUEUE).concurrency(1)
          .shutdownGrace(Duration.ofSeconds(1)).build();
      worker.start();
      try {
        awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED);
        await().atMost(PATIENCE).until(() -> blockedInRedis(admin));
        proxy.dropReplies(true);
        // Redis ends the wait after its two seconds; its answer goes nowhere.
        await().atMost(PATIENCE).until(() -> !blockedInRedis(admin));
        proxy.dropReplies(false);
        awaitStatus(enqueue("jobq.noop", "null"), JobStatus.COMPLETED);
      } finally {
        worker.close();
      }
    }
  }

  private static boolean blockedInRedis(Jedis admin) {
    return admin.clientList().lines()
        .anyMatch(l -> l.contains(" cmd=blpop ") && l.matches(".* flags=[A-Za-z]*b.*"));
  }

  /**
   * Opens connections in the broker's pool ahead of time: a connection opened while answers are
   * swallowed fails its handshake, and the call it was for never reaches Redis at all.
   */
  private static void openConnections(RedisBroker viaProxy, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Boolean>> waits = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // each blocks its own connection for a moment, so that n are open at once
        waits.add(pool.submit(() -> viaProxy.awaitWork(List.of("nothing"), Duration.ofMillis(300))));
      }
      for (Future<Boolean> w : waits) {
        w.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
