package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: redis-server killed with SIGKILL while a producer enqueues and three workers
 * work, and started again on the same port and files (append-only, fsync always).
 */
class RedisRestartTest extends ChaosScenario {
  private static final int BATCH = 100;

  @Test
  void everyAcknowledgedEnqueueSurvivesARedisCrashAndWorkersRecoverByThemselves()
      throws Exception {
    int batches = 30 * SCALE;
    int jobs = batches * BATCH;
    for (String name : List.of("a", "b", "c")) {
      fleet.launch(name, direct(8, 5_000));
    }
    awaitRegistered("a", "b", "c");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch produced = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      produce(batches, acknowledged, refused);
      produced.countDown();
    }, "producer");
    producer.start();

    await().atMost(Duration.ofSeconds(60)).until(() ->
        acknowledged.size() >= jobs / 4 && broker.stats(QUEUE).completed() >= jobs / 20);
    redis.kill();
    Set<String> beforeCrash = Set.copyOf(acknowledged);
    await().atMost(Duration.ofSeconds(90)).until(() -> refused.get() > 0
        && List.of("a", "b", "c").stream().allMatch(w -> fleet.log(w).contains("Redis is unreachable")));
    redis.restart();

    assertThat(produced.await(60, TimeUnit.SECONDS)).as("producer done").isTrue();
    awaitAllFinished(jobs, Duration.ofSeconds(120));
    assertThat(acknowledged).hasSize(jobs).containsAll(beforeCrash);
    List<String> ids = new ArrayList<>(acknowledged);
    assertEveryJobCompletedOnce(ids);
    assertThat(broker.stats(QUEUE).totalEnqueued()).as("enqueued, retries included").isEqualTo(jobs);
    for (String w : List.of("a", "b", "c")) {
      assertThat(fleet.process(w).isAlive()).as("worker %s alive", w).isTrue();
      String log = fleet.log(w);
      assertThat(log.indexOf(" completed in ", log.indexOf("Redis is reachable again")))
          .as("worker %s worked on after the restart", w).isPositive();
    }
    report(jobs, "redis-server kill -9 and restart after " + beforeCrash.size()
        + " acknowledged enqueues; " + refused.get() + " enqueue calls refused meanwhile and"
        + " retried with the same job ids; nothing acknowledged was lost, 3 workers recovered");
  }

  /**
   * Enqueues {@code batches} batches of jobs with ids of its own, a batch every few ms; a batch
   * that Redis did not acknowledge is sent again, same ids, until it is: what a careful producer
   * does, and why own ids make enqueue idempotent.
   */
  private void produce(int batches, Set<String> acknowledged, AtomicInteger refused) {
    for (int b = 0; b < batches; b++) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(work(5 + random.nextInt(20)).id("job-" + b + "-" + i).build());
      }
      while (true) {
        try {
          client.enqueueAll(batch).forEach(r -> acknowledged.add(r.jobId()));
          break;
        } catch (BrokerUnavailableException e) {
          refused.incrementAndGet();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // retry pacing, not a wait
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // spreads the enqueues over the run
    }
  }
}
