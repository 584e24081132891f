package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis goes away under load and comes back: the workers carry on and no job is lost. */
class WorkerRedisOutageTest extends WorkerTestSupport {
  private TestRedis own;

  @Override
  TestRedis redis() {
    own = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
    return own;
  }

  @AfterEach
  void stopOwnRedis() {
    if (own != null) {
      own.close();
    }
  }

  @Test
  void workersSurviveARedisRestartUnderLoadAndLoseNoJob() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      startWorker(b -> b.concurrency(4).lease(Duration.ofSeconds(30))
          .handler("test.quick", ctx -> {
            Thread.sleep(10);
            return handled.incrementAndGet();
          }));
    }
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      requests.add(JobRequest.builder("test.quick").queue(QUEUE).build());
    }
    List<String> ids = client.enqueueAll(requests).stream().map(r -> r.jobId()).toList();
    await().atMost(PATIENCE).until(() -> handled.get() >= 50);

    own.kill();
    int handledWhenKilled = handled.get();
    // The outage itself: a few seconds with Redis gone, not a synchronisation.
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    own.restart();

    await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats(QUEUE).completed() >= 400);
    for (String id : ids) {
      assertThat(job(id).status()).as(id).isEqualTo(JobStatus.COMPLETED);
    }
    assertThat(handled.get()).isGreaterThan(handledWhenKilled);
  }
}
