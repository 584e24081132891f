package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.WorkerInfo;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.SlotMove;
import dev.jobq.redis.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario: the queue's slot moved to another master of a real three-master Redis Cluster, one
 * key at a time as {@code redis-cli --cluster reshard} moves it, while two workers work off a
 * backlog and a producer enqueues. Each key is moved only once the masters have refused the
 * queue's calls again (the slot half-way), so the workers and the producer meet ASK and TRYAGAIN
 * at every step. Nothing acknowledged may be lost or run twice, and no one may see an outage.
 * The scenario's own redis-server keeps the ledger.
 */
class ReshardWhileWorkingTest extends ChaosScenario {
  /** 10 jobs every 25 ms beside the backlog. */
  private static final int BATCH = 10;

  private TestCluster cluster;
  private RedisBroker viaCluster;
  private JobClient producer;

  @BeforeEach
  void startCluster() {
    cluster = TestCluster.start();
    viaCluster = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix)
        .build());
    producer = JobClient.create(viaCluster);
  }

  @AfterEach
  void stopCluster() {
    fleet.close(); // before the doctor looks: nothing moves any more
    try {
      assertThat(viaCluster.tools().doctor(QUEUE, false).findings())
          .as("doctor on the new master").isEmpty();
    } finally {
      viaCluster.close();
      cluster.close();
    }
  }

  @Test
  void aSlotMovedKeyByKeyWhileWorkersRunLosesNothingAndRunsNothingTwice() throws Exception {
    int backlog = 3_000 * SCALE;
    Set<String> acked = ConcurrentHashMap.newKeySet();
    List<JobRequest> first = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      first.add(work(3 + random.nextInt(5)).id("backlog-" + i).build());
    }
    producer.enqueueAll(first).forEach(r -> acked.add(r.jobId()));
    for (String name : List.of("a", "b")) {
      fleet.launch(name, new Fleet.Setup(cluster.url(), 4, 30_000, 0));
    }
    AtomicInteger refused = new AtomicInteger();
    AtomicLong slowestMs = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch produced = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      produce(acked, refused, slowestMs, stop);
      produced.countDown();
    }, "producer");
    thread.start();
    await().atMost(Duration.ofSeconds(90)).until(() -> viaCluster.workers().stream()
        .map(WorkerInfo::id).collect(Collectors.toSet()).containsAll(Set.of("a", "b"))
        && viaCluster.stats(QUEUE).completed() >= 300);

    int from = cluster.portOfQueue(prefix, QUEUE);
    int to = cluster.masterPorts().stream().filter(p -> p != from).findFirst().orElseThrow();
    long startedAt = System.nanoTime();
    int ackedBefore = acked.size();
    long completedBefore = viaCluster.stats(QUEUE).completed();
    SlotMove move = cluster.startMove(prefix, QUEUE, to);
    long refusalsBefore = move.refusals();
    List<String> keys = move.keysLeft();
    for (String key : keys) {
      long seen = move.refusals();
      // half-way for as long as it takes the clients to be refused again, not a set time
      await().atMost(Duration.ofSeconds(3)).until(() -> move.refusals() > seen);
      move.moveKey(key);
    }
    move.finish();
    long moveMs = (System.nanoTime() - startedAt) / 1_000_000;
    long refusals = move.refusals() - refusalsBefore;
    long waitingAtMove = viaCluster.stats(QUEUE).waitingTotal();
    long completedAtMove = viaCluster.stats(QUEUE).completed();
    int ackedAtMove = acked.size();

    await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= ackedAtMove + 200);
    stop.set(true);
    assertThat(produced.await(20, TimeUnit.SECONDS)).as("producer done").isTrue();
    List<String> ids = List.copyOf(acked);
    await().atMost(Duration.ofSeconds(60)).until(() -> viaCluster.stats(QUEUE).completed()
        + viaCluster.stats(QUEUE).failed() >= ids.size());

    assertThat(cluster.portOfQueue(prefix, QUEUE)).as("the queue's master").isEqualTo(to);
    // the backlog outlasted the move: the workers had work all through it
    assertThat(waitingAtMove).as("jobs still waiting when the move ended").isPositive();
    assertThat(keys).as("keys of the queue moved one by one").hasSizeGreaterThan(3);
    assertEveryJobCompletedOnce(viaCluster, ids);
    assertThat(viaCluster.stats(QUEUE).totalEnqueued()).as("enqueued").isEqualTo(ids.size());
    assertThat(refused.get()).as("enqueue calls that reported an outage").isZero();
    for (String w : List.of("a", "b")) {
      assertThat(fleet.process(w).isAlive()).as("worker %s alive", w).isTrue();
      assertThat(fleet.log(w)).as("log of worker %s", w).doesNotContain("Redis is unreachable")
          .doesNotContain("lease lost").doesNotContain(" ERROR ");
    }
    report(ids.size(), "Cluster reshard: the queue's slot (" + keys.size() + " keys) moved key"
        + " by key in " + moveMs + " ms under 2 workers and a producer; " + refusals
        + " calls refused half-way (ASK, TRYAGAIN) and sent again; slowest enqueue "
        + slowestMs.get() + " ms; " + (ackedAtMove - ackedBefore) + " enqueued and "
        + (completedAtMove - completedBefore) + " completed during the move, " + waitingAtMove
        + " still waiting at its end; 0 lost, 0 run twice, no outage");
  }

  /** Batches with ids of their own, each sent again (same ids) until Redis acknowledges it. */
  private void produce(Set<String> acked, AtomicInteger refused, AtomicLong slowestMs,
      AtomicBoolean stop) {
    for (int b = 0; !stop.get(); b++) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(work(3 + random.nextInt(5)).id("job-" + b + "-" + i).build());
      }
      while (!stop.get()) {
        long start = System.nanoTime();
        try {
          producer.enqueueAll(batch).forEach(r -> acked.add(r.jobId()));
          slowestMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
          break;
        } catch (BrokerUnavailableException e) {
          refused.incrementAndGet();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // retry pacing, not a wait
        }
      }
      // spreads the enqueues over the run
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
    }
  }
}
