package dev.jobq.redis;

/**
 * The broker contract through a Sentinel URL: the shared test Redis as the master, one real
 * sentinel naming it. Every case goes through Jedis's Sentinel pool, blocking waits included.
 */
class SentinelBrokerContractTest extends RedisBrokerContractTest {
  private static TestSentinel sentinel;

  @Override
  String url() {
    return startedUrl();
  }

  private static synchronized String startedUrl() {
    if (sentinel == null) {
      sentinel = TestSentinel.start("contract", TestRedis.shared().port(), 1);
      TestSentinel s = sentinel;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-sentinel-stop"));
    }
    return "redis-sentinel://" + sentinel.address() + "/contract";
  }
}
