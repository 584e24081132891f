package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.contract.BrokerUnderTest;
import dev.jobq.spi.Broker;
import java.util.Comparator;
import java.util.List;

/**
 * The broker contract through a Redis Cluster URL, on a real three-master cluster: every case
 * runs as its users would, each queue on the master of its slot, blocking waits included.
 *
 * <p>A call sent to the wrong node only fails when that node does not serve the key's slot. So
 * that every case would catch a queue's command sent to the node of the global keys ({@code
 * P:{P}:…}), or the reverse, one master holds no queue of the contract and each case's prefix
 * puts the global keys there.
 */
class ClusterBrokerContractTest extends RedisBrokerContractTest {
  /** Every queue the contract's cases name. */
  private static final List<String> QUEUES = List.of(BrokerUnderTest.QUEUE, "emails", "reports",
      "other", "oncall", "eu", "never-used", "empty");
  private static TestCluster cluster;
  private static int globalMaster;

  @Override
  String url() {
    return started().url();
  }

  /** A fresh prefix whose global keys are on the master that holds no queue. */
  @Override
  String newPrefix() {
    TestCluster c = started();
    String prefix;
    do {
      prefix = TestRedis.uniquePrefix();
    } while (c.portOf(globalKey(c, prefix)) != globalMaster);
    return prefix;
  }

  @Override
  protected void checkInvariants(Broker broker) {
    super.checkInvariants(broker);
    String prefix = ((RedisBroker) broker).config().prefix();
    for (String queue : broker.queues()) {
      assertThat(cluster.portOfQueue(prefix, queue))
          .as("the master of queue '%s': add it to %s.QUEUES, so that it is kept off the master"
              + " of the global keys", queue, getClass().getSimpleName())
          .isNotEqualTo(cluster.portOf(globalKey(cluster, prefix)));
    }
  }

  /** The queue index, one of the keys that belong to no queue. */
  private static String globalKey(TestCluster c, String prefix) {
    return Keys.queues(Keys.globalBase(RedisConfig.builder().url(c.url()).prefix(prefix).build()));
  }

  private static synchronized TestCluster started() {
    if (cluster == null) {
      TestCluster c = TestCluster.start();
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "test-cluster-stop"));
      globalMaster = keepQueuesOffOneMaster(c);
      cluster = c;
    }
    return cluster;
  }

  /**
   * Moves the slots of the contract's queues off the master that holds the fewest of them, and
   * answers that master's port. The queues' slots do not depend on the prefix: this holds for
   * every case.
   */
  private static int keepQueuesOffOneMaster(TestCluster c) {
    int free = c.ports().stream().min(Comparator.comparingLong(port -> QUEUES.stream()
        .filter(q -> c.portOfQueue("", q) == port).count())).orElseThrow();
    int elsewhere = c.ports().stream().filter(port -> port != free).findFirst().orElseThrow();
    for (String queue : QUEUES) {
      if (c.portOfQueue("", queue) == free) {
        c.moveQueue("", queue, elsewhere);
      }
    }
    for (String queue : QUEUES) {
      assertThat(c.portOfQueue("", queue)).as("the master of queue " + queue).isNotEqualTo(free);
    }
    return free;
  }
}
