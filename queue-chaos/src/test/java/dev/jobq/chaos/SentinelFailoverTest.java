package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import dev.jobq.redis.TestSentinel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Scenario: Redis under Sentinel (one master, one replica, three sentinels, quorum 2) with a
 * producer and two workers on the Sentinel URL; the master is killed with SIGKILL. The replica
 * is promoted and work goes on. Replication is asynchronous, so the last writes the master
 * acknowledged may not have reached the replica: the scenario counts the jobs acknowledged
 * before the kill that are gone or ran twice, and how far back before the kill they reach (the
 * loss window, quoted in docs/RELIABILITY.md). The scenario's own redis-server keeps the ledger.
 */
class SentinelFailoverTest extends ChaosScenario {
  private static final String MASTER = "jobq";
  /** 10 jobs every 25 ms: less than two workers do, so no backlog hides the failover. */
  private static final int BATCH = 10;

  private TestRedis master;
  private TestRedis replica;
  private final List<TestSentinel> sentinels = new ArrayList<>();
  private RedisBroker viaSentinel;
  private JobClient producer;

  @BeforeEach
  void startSentinelGroup() {
    master = TestRedis.start();
    replica = TestRedis.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
    for (int i = 0; i < 3; i++) {
      sentinels.add(TestSentinel.start(MASTER, master.port(), 2));
    }
    await().atMost(Duration.ofSeconds(20)).until(this::sentinelsKnowEachOtherAndTheReplica);
    String url = "redis-sentinel://" + sentinels.stream().map(TestSentinel::address)
        .collect(Collectors.joining(",")) + "/" + MASTER;
    viaSentinel = RedisBroker.connect(RedisConfig.builder().url(url).prefix(prefix).build());
    producer = JobClient.create(viaSentinel);
  }

  @AfterEach
  void stopSentinelGroup() {
    viaSentinel.close();
    sentinels.forEach(TestSentinel::close);
    replica.close();
    master.close();
  }

  @Test
  void producersAndWorkersCarryOnAfterTheReplicaIsPromoted() throws Exception {
    String url = viaSentinel.config().url().toString();
    for (String name : List.of("a", "b")) {
      fleet.launch(name, new Fleet.Setup(url, 4, 2_000, 0));
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> viaSentinel.workers().size() == 2);
    Map<String, Long> ackedAt = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch produced = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      produce(ackedAt, refused, stop);
      produced.countDown();
    }, "producer");
    thread.start();

    await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> ackedAt.size() >= 300 && viaSentinel.stats(QUEUE).completed() >= 100);
    master.kill();
    long killedAt = System.nanoTime();
    Map<String, Long> beforeKill = Map.copyOf(ackedAt);
    await().atMost(Duration.ofSeconds(20)).until(() -> promoted());
    long promotedAt = System.nanoTime();
    int ackedBeforePromotion = ackedAt.size();
    await().atMost(Duration.ofSeconds(20)).until(() -> ackedAt.size() >= ackedBeforePromotion + 150);
    stop.set(true);
    assertThat(produced.await(20, TimeUnit.SECONDS)).as("producer done").isTrue();

    List<String> afterPromotion = ackedAt.entrySet().stream()
        .filter(e -> e.getValue() > promotedAt).map(Map.Entry::getKey).toList();
    assertThat(afterPromotion).as("jobs enqueued after the promotion").hasSizeGreaterThan(100);
    await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> afterPromotion.stream().allMatch(id -> status(id) == JobStatus.COMPLETED));
    List<String> lost = beforeKill.keySet().stream().filter(id -> status(id) == null).toList();
    Map<String, Long> runs = ledger.runs();
    long twice = beforeKill.keySet().stream().filter(id -> runs.getOrDefault(id, 0L) > 1).count();
    long windowMs = lost.stream().mapToLong(id -> killedAt - beforeKill.get(id)).max().orElse(0)
        / 1_000_000;
    for (String w : List.of("a", "b")) {
      assertThat(fleet.process(w).isAlive()).as("worker %s alive", w).isTrue();
    }
    assertThat(viaSentinel.tools().doctor(QUEUE, false).findings()).as("doctor on the new master")
        .isEmpty();
    report(ackedAt.size(), "Sentinel failover: master kill -9 after " + beforeKill.size()
        + " acknowledged enqueues; replica promoted in " + (promotedAt - killedAt) / 1_000_000
        + " ms; " + lost.size() + " acknowledged jobs lost (the oldest acknowledged " + windowMs
        + " ms before the kill), " + twice + " ran twice; " + refused.get() + " enqueue calls"
        + " refused during the failover; " + afterPromotion.size() + " enqueued after, all"
        + " completed");
  }

  /** Batches with ids of their own, each sent again (same ids) until Redis acknowledges it. */
  private void produce(Map<String, Long> ackedAt, AtomicInteger refused, AtomicBoolean stop) {
    for (int b = 0; !stop.get(); b++) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(work(2 + random.nextInt(4)).id("job-" + b + "-" + i).build());
      }
      enqueueUntilAcknowledged(producer, batch, ackedAt, refused, stop::get);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25)); // spreads the enqueues over the run
    }
  }

  private JobStatus status(String id) {
    Optional<Job> job = viaSentinel.get(QUEUE, id);
    return job.map(Job::status).orElse(null);
  }

  private boolean promoted() throws Exception {
    for (TestSentinel s : sentinels) {
      if (!String.valueOf(replica.port()).equals(s.masterPort(MASTER))) {
        return false;
      }
    }
    return true;
  }

  private boolean sentinelsKnowEachOtherAndTheReplica() {
    for (TestSentinel s : sentinels) {
      try (Jedis j = new Jedis("127.0.0.1", s.port())) {
        Map<String, String> m = j.sentinelMaster(MASTER);
        if (!"2".equals(m.get("num-other-sentinels")) || !"1".equals(m.get("num-slaves"))) {
          return false;
        }
      }
    }
    return true;
  }
}
