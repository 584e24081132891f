package dev.jobq.redis;

/**
 * The broker contract through a Redis Cluster URL, on a real three-master cluster: every case
 * runs as its users would, each queue on the master of its slot, blocking waits included.
 */
class ClusterBrokerContractTest extends RedisBrokerContractTest {
  private static TestCluster cluster;

  @Override
  String url() {
    return startedUrl();
  }

  private static synchronized String startedUrl() {
    if (cluster == null) {
      cluster = TestCluster.start();
      TestCluster c = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "test-cluster-stop"));
    }
    return cluster.url();
  }
}
