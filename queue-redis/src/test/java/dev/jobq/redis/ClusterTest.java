package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jobq.BrokerConfigurationException;
import dev.jobq.EventCursor;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent;
import dev.jobq.JobStatus;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A broker on a Redis Cluster URL, against a real three-master cluster: queues whose slots live
 * on different masters, each reached on its own node.
 */
class ClusterTest {
  private static TestCluster cluster;
  private String prefix;
  private RedisBroker broker;
  /** One queue per master: queue name to the port of the master that holds it. */
  private Map<String, Integer> queues;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void connect() {
    prefix = TestRedis.uniquePrefix();
    broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix).build());
    queues = cluster.queuePerMaster(prefix);
  }

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void eachQueueLivesOnTheMasterOfItsSlotAndRunsThere() {
    assertThat(Set.copyOf(queues.values())).hasSize(3);
    for (var q : queues.entrySet()) {
      String id = broker.enqueue(List.of(job("t").queue(q.getKey()).build())).get(0).jobId();
      try (Jedis node = cluster.node(q.getValue())) {
        assertThat(node.hexists(new Keys(prefix, q.getKey()).jobs(), id))
            .as("job of queue %s on port %d", q.getKey(), q.getValue()).isTrue();
      }
      List<Job> claimed = broker.claim(q.getKey(), "w1", 1, Duration.ofSeconds(30), null);
      assertThat(claimed).extracting(Job::id).containsExactly(id);
      broker.completeAll(q.getKey(), List.of(new dev.jobq.spi.WorkerBroker.Completion(
          id, claimed.get(0).token(), null)));
      assertThat(broker.get(q.getKey(), id).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(broker.find(id).orElseThrow().queue()).isEqualTo(q.getKey());
    }
    assertThat(broker.queues()).containsAll(queues.keySet());
  }

  @Test
  void aQueueWhoseSlotMovedIsFollowedToItsNewMaster() {
    var first = queues.entrySet().iterator().next();
    String q = first.getKey();
    int to = queues.values().stream().filter(p -> !p.equals(first.getValue())).findFirst()
        .orElseThrow();
    String before = broker.enqueue(List.of(job("t").queue(q).build())).get(0).jobId();

    cluster.moveQueue(prefix, q, to); // the broker still maps the slot to the old master

    String after = broker.enqueue(List.of(job("t").queue(q).build())).get(0).jobId();
    assertThat(cluster.portOfQueue(prefix, q)).isEqualTo(to);
    try (Jedis node = cluster.node(to)) {
      assertThat(node.hkeys(new Keys(prefix, q).jobs())).containsExactlyInAnyOrder(before, after);
    }
    assertThat(broker.claim(q, "w1", 2, Duration.ofSeconds(30), null)).extracting(Job::id)
        .containsExactly(before, after);
  }

  @Test
  void anIdleWaitOverQueuesOnThreeMastersWakesForAJobOnAnyOfThem() throws Exception {
    List<String> names = new ArrayList<>(queues.keySet());
    String last = names.get(names.size() - 1);
    CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
      try {
        return broker.awaitWork(names, Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    broker.enqueue(List.of(job("t").queue(last).build()));
    assertThat(woke.get(30, TimeUnit.SECONDS)).as("woken, not timed out").isTrue();
  }

  @Test
  void followingEventsOverQueuesOnThreeMastersSeesEachQueuesEvents() throws Exception {
    JobClient client = JobClient.create(broker);
    List<String> names = new ArrayList<>(queues.keySet());
    EventCursor cursor = client.followEvents(names);
    assertThat(cursor.next(Duration.ofMillis(50))).isEmpty();
    for (String q : names) {
      CompletableFuture<List<JobEvent>> next = CompletableFuture.supplyAsync(() -> {
        try {
          return cursor.next(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      String id = client.enqueue(job("t").queue(q).build()).jobId();
      assertThat(next.get(30, TimeUnit.SECONDS)).singleElement().satisfies(e -> {
        assertThat(e.jobId()).isEqualTo(id);
        assertThat(e.queue()).isEqualTo(q);
      });
    }
  }

  @Test
  void wrongCredentialsAreRefusedNotWaitedFor() {
    String url = "redis-cluster://jobq:wrong@" + cluster.addresses();
    try (RedisBroker wrong = RedisBroker.connect(url)) {
      assertThatThrownBy(wrong::ping).isInstanceOf(BrokerConfigurationException.class)
          .hasMessageContaining("refused the credentials");
    }
  }

  @Test
  void theWorkerRegistryAndItsOrdersWorkAcrossTheCluster() {
    Instant now = broker.now();
    WorkerInfo info = new WorkerInfo("w-cluster", "host", 1, List.copyOf(queues.keySet()), 4, 0,
        0, 0, now, now, "running");
    assertThat(broker.registerNewWorker(info, Duration.ofSeconds(30))).isEmpty();
    assertThat(broker.workers()).extracting(WorkerInfo::id).contains("w-cluster");
    broker.removeWorker("w-cluster");
    assertThat(broker.workers()).extracting(WorkerInfo::id).doesNotContain("w-cluster");
  }

  @Test
  void aClusterUrlAtOneServerIsRefusedNotWaitedFor() {
    String url = "redis-cluster://127.0.0.1:" + TestRedis.shared().port();
    try (RedisBroker wrong = RedisBroker.connect(url)) {
      assertThatThrownBy(wrong::ping).isInstanceOf(BrokerConfigurationException.class)
          .hasMessageContaining("is one server, not a Redis Cluster node")
          .hasMessageContaining("redis://127.0.0.1:" + TestRedis.shared().port());
    }
  }

  @Test
  void aServerUrlAtAClusterNodeIsRefusedNamingTheClusterUrl() {
    String node = "127.0.0.1:" + cluster.ports().get(0);
    try (RedisBroker wrong = RedisBroker.connect("redis://" + node)) {
      assertThatThrownBy(wrong::ping).isInstanceOf(BrokerConfigurationException.class)
          .hasMessageContaining("is a Redis Cluster node: use redis-cluster://" + node);
    }
  }

  @Test
  void theRunIdAndTheWarningsComeFromEveryMaster() {
    assertThat(broker.serverRunId().split(",")).hasSize(3).doesNotHaveDuplicates();
    // the test cluster persists nothing, on every master: said once, naming them all
    assertThat(broker.tools().serverWarnings()).filteredOn(w -> w.contains("persists nothing"))
        .singleElement().satisfies(w -> cluster.ports().forEach(
            p -> assertThat(w).contains("127.0.0.1:" + p)));
  }

  @Test
  void infoAndWarningsArePerMasterAndEachQueueNamesItsMaster() {
    List<String> masters = cluster.ports().stream().map(p -> "127.0.0.1:" + p).sorted().toList();
    Map<String, Map<String, String>> cpu = broker.tools().serverInfoByNode("cpu");
    assertThat(cpu.keySet()).containsExactlyElementsOf(masters);
    assertThat(cpu.values()).allSatisfy(fields -> assertThat(fields).containsKey("used_cpu_sys"));
    for (int port : cluster.ports()) {
      try (Jedis node = cluster.node(port)) {
        assertThat(broker.tools().serverInfoByNode("server").get("127.0.0.1:" + port))
            .containsEntry("run_id", node.info("server").lines()
                .filter(l -> l.startsWith("run_id:")).findFirst().orElseThrow().substring(7));
      }
    }
    Map<String, List<String>> warnings = broker.tools().serverWarningsByNode();
    assertThat(warnings.keySet()).containsExactlyElementsOf(masters);
    assertThat(warnings.values()).allSatisfy(w -> assertThat(w).anySatisfy(
        one -> assertThat(one).contains("persists nothing")));
    queues.forEach((queue, port) ->
        assertThat(broker.tools().nodeOf(queue)).isEqualTo("127.0.0.1:" + port));
  }

  @Test
  void aSlotThatNoMasterServesLeavesTheOtherMastersAnswering() {
    // a slot this test's keys do not use, left with no owner as a lost shard's slots are
    String unused = "{jobq-no-owner}";
    int slot = JedisClusterCRC16.getSlot(unused);
    int owner = cluster.portOf(unused);
    cluster.ports().forEach(p -> config(p, "cluster-require-full-coverage", "no"));
    cluster.ports().forEach(p -> {
      try (Jedis node = cluster.node(p)) {
        node.clusterDelSlots(slot);
      }
    });
    // Jedis refuses a slot map with holes, keeping the one it had, unless told to take it
    System.setProperty("jedis.cluster.initNoError", "true");
    Logger logger = (Logger) LoggerFactory.getLogger(ClusterNodes.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try (RedisBroker fresh = RedisBroker.connect(
        RedisConfig.builder().url(cluster.url()).prefix(prefix).build())) {
      assertThat(fresh.tools().serverInfoByNode("server")).as("every master, a slot without one")
          .hasSize(3);
      assertThat(fresh.tools().serverWarningsByNode()).hasSize(3);
      assertThat(logged.list).as("the hole warned of once, not per call")
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
              .contains("has no master").contains("cluster-require-full-coverage no"));
    } finally {
      logger.detachAppender(logged);
      System.clearProperty("jedis.cluster.initNoError");
      try (Jedis node = cluster.node(owner)) {
        node.clusterAddSlots(slot);
      }
      cluster.ports().forEach(p -> config(p, "cluster-require-full-coverage", "yes"));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> cluster.ports().stream().allMatch(ClusterTest::fullyServed));
    }
  }

  private static void config(int port, String name, String value) {
    try (Jedis node = cluster.node(port)) {
      node.configSet(name, value);
    }
  }

  private static boolean fullyServed(int port) {
    try (Jedis node = cluster.node(port)) {
      String info = node.clusterInfo();
      return info.contains("cluster_state:ok") && info.contains("cluster_slots_assigned:16384");
    }
  }

  @Test
  void deletingThePrefixDeletesItsKeysOnEveryMaster() {
    for (String q : queues.keySet()) {
      broker.enqueue(List.of(job("t").queue(q).build()));
    }
    assertThat(broker.tools().deletePrefix()).isGreaterThanOrEqualTo(queues.size() + 1);
    for (int port : cluster.ports()) {
      try (Jedis node = cluster.node(port)) {
        assertThat(node.keys(prefix + ":*")).as("keys left on port " + port).isEmpty();
      }
    }
  }
}
