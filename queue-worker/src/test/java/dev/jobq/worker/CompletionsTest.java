package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Completions that arrive together share script calls; each still gets its own answer. */
class CompletionsTest {
  private static final int JOBS = 400;
  private static final int THREADS = 16;

  @Test
  void concurrentCompletionsShareCallsAndEachGetsItsOwnAnswer() throws Exception {
    try (TestRedis redis = TestRedis.start();
        RedisBroker broker = Brokers.connect(redis, TestRedis.uniquePrefix())) {
      JobClient client = JobClient.create(broker);
      List<JobRequest> requests = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        requests.add(JobRequest.builder("t").queue("q").build());
      }
      client.enqueueAll(requests);
      List<Job> jobs = broker.claim("q", "w", JOBS, Duration.ofMinutes(1));
      Job stale = jobs.get(7);
      long callsBefore = scriptCalls(redis);

      Completions completions = new Completions(broker);
      Map<String, Boolean> answers = new ConcurrentHashMap<>();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = first; i < JOBS; i += THREADS) {
            Job j = jobs.get(i);
            long token = j == stale ? j.token() + 1 : j.token();
            Job asClaimed = j == stale ? withToken(j, token) : j;
            answers.put(j.id(), completions.complete(asClaimed, "\"" + j.id() + "\""));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();

      long calls = scriptCalls(redis) - callsBefore;
      assertThat(answers).hasSize(JOBS);
      for (Job j : jobs) {
        Job now = broker.get("q", j.id()).orElseThrow();
        if (j == stale) {
          assertThat(answers.get(j.id())).isFalse();
          assertThat(now.status()).isEqualTo(JobStatus.ACTIVE);
        } else {
          assertThat(answers.get(j.id())).as(j.id()).isTrue();
          assertThat(now.result()).isEqualTo("\"" + j.id() + "\"");
        }
      }
      assertThat(broker.stats("q").totalCompleted()).isEqualTo(JOBS - 1);
      assertThat(calls).as("script calls for %d completions from %d threads", JOBS, THREADS)
          .isBetween(1L, JOBS - 1L);
    }
  }

  private static Job withToken(Job j, long token) {
    return new Job(j.id(), j.queue(), j.type(), j.payload(), j.priority(), j.status(),
        j.attempt(), j.maxAttempts(), j.backoff(), j.timeout(), j.createdAt(), j.enqueuedAt(),
        j.runAt(), j.startedAt(), j.finishedAt(), j.worker(), token, j.errorClass(), j.error(),
        j.stack(), j.result(), j.progress(), j.dependsOn(), j.children(), j.headers(),
        j.escalatedTo());
  }

  /** EVALSHA calls Redis has served so far. */
  private static long scriptCalls(TestRedis redis) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      String info = jedis.info("commandstats");
      return info.lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll(".*calls=(\\d+).*", "$1"))).orElse(0L);
    }
  }
}
