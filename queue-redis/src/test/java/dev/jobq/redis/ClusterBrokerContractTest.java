package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.contract.BrokerContractTest;
import dev.jobq.spi.Broker;
import java.time.Clock;

/**
 * The broker contract through a Redis Cluster URL, on a real three-master cluster: every case
 * runs as its users would, each queue on the master of its slot, blocking waits included.
 */
class ClusterBrokerContractTest extends BrokerContractTest {
  private static TestCluster cluster;

  private static synchronized String url() {
    if (cluster == null) {
      cluster = TestCluster.start();
      TestCluster c = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "test-cluster-stop"));
    }
    return cluster.url();
  }

  @Override
  protected Broker newBroker(Clock clock) {
    return RedisBroker.connect(RedisConfig.builder().url(url())
        .prefix(TestRedis.uniquePrefix()).clock(clock).build());
  }

  @Override
  protected void checkInvariants(Broker broker) {
    RedisBroker redis = (RedisBroker) broker;
    for (String queue : redis.queues()) {
      assertThat(redis.tools().doctor(queue, false).findings()).as("doctor of queue " + queue)
          .isEmpty();
    }
  }
}
