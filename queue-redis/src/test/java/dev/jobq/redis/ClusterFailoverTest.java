package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A master of a real cluster (three masters, a replica each) killed with SIGKILL: until its
 * replica is promoted, calls on its queues are an outage; then the same broker, with no help,
 * serves the queue from the promoted replica, with the job that the replica acknowledged.
 */
class ClusterFailoverTest {
  private TestCluster cluster;
  private RedisBroker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledMastersReplicaTakesOverItsQueues() {
    cluster = TestCluster.withReplicas();
    String prefix = TestRedis.uniquePrefix();
    Map.Entry<String, Integer> first = cluster.queuePerMaster(prefix).entrySet().iterator().next();
    String q = first.getKey();
    // an enqueue returns once the replica has the job: the failover cannot lose it
    broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url() + "?waitReplicas=1")
        .prefix(prefix).build());
    String before = broker.enqueue(List.of(job("t").queue(q).build())).get(0).jobId();

    cluster.kill(first.getValue());

    String after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreException(BrokerUnavailableException.class)
        .until(() -> broker.enqueue(List.of(job("t").queue(q).build())).get(0).jobId(),
            id -> id != null);
    assertThat(cluster.portOfQueue(prefix, q)).as("the promoted replica")
        .isNotEqualTo(first.getValue());
    assertThat(broker.claim(q, "w1", 2, Duration.ofSeconds(30), null)).extracting(Job::id)
        .containsExactly(before, after);
  }

  /**
   * A call on every master (the run ids a worker watches, the server warnings, the clean-up of a
   * prefix) reaches the promoted replica once the killed master's queue was served there, and
   * no longer the killed master: Jedis drops the dead node's pool when it reads the slot map
   * again, and a list of masters kept from the start would hold that closed pool for good.
   */
  @Test
  void callsOnEveryMasterReachThePromotedReplicaAndNotTheKilledMaster() {
    cluster = TestCluster.withReplicas();
    String prefix = TestRedis.uniquePrefix();
    Map.Entry<String, Integer> first = cluster.queuePerMaster(prefix).entrySet().iterator().next();
    String q = first.getKey();
    broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix).build());
    List<String> before = List.of(broker.serverRunId().split(","));

    cluster.kill(first.getValue());
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreException(BrokerUnavailableException.class)
        .until(() -> broker.enqueue(List.of(job("t").queue(q).build())).get(0).jobId(),
            id -> id != null); // the queue is served again: the slot map was read anew

    String promoted;
    try (var replica = cluster.node(cluster.portOfQueue(prefix, q))) {
      promoted = replica.info("server").lines().filter(l -> l.startsWith("run_id:"))
          .map(l -> l.substring("run_id:".length()).trim()).findFirst().orElseThrow();
    }
    List<String> after = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .ignoreException(BrokerUnavailableException.class)
        .until(() -> List.of(broker.serverRunId().split(",")), ids -> ids.size() == 3);
    assertThat(after).as("run ids of the masters after the failover, before: %s", before)
        .contains(promoted).hasSize(3);
    assertThat(before).doesNotContain(promoted);
  }
}
