package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.contract.BrokerContractTest;
import dev.jobq.spi.Broker;
import java.time.Clock;

/**
 * The broker contract through a Sentinel URL: the shared test Redis as the master, one real
 * sentinel naming it. Every case goes through Jedis's Sentinel pool, blocking waits included.
 */
class SentinelBrokerContractTest extends BrokerContractTest {
  private static TestSentinel sentinel;

  private static synchronized String url() {
    if (sentinel == null) {
      sentinel = TestSentinel.start("contract", TestRedis.shared().port(), 1);
      TestSentinel s = sentinel;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-sentinel-stop"));
    }
    return "redis-sentinel://" + sentinel.address() + "/contract";
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
      assertThat(redis.tools().doctor(queue, false).findings()).as("doctor of queue " + queue).isEmpty();
    }
  }
}
