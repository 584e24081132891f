package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.contract.BrokerContractTest;
import dev.jobq.spi.Broker;
import java.time.Clock;

/**
 * The broker contract on Redis: each case on the shared test Redis under a key prefix of its own,
 * ending with the doctor's check that every job is in exactly the place its status names.
 * Subclasses run the same through another kind of URL (Sentinel, Cluster).
 */
class RedisBrokerContractTest extends BrokerContractTest {

  /** The Redis every case connects to. */
  String url() {
    return TestRedis.shared().url();
  }

  @Override
  protected Broker newBroker(Clock clock) {
    return RedisBroker.connect(RedisConfig.builder().url(url())
        .prefix(newPrefix()).clock(clock).build());
  }

  /** The key prefix of one case: a fresh one, so that no case sees another's keys. */
  String newPrefix() {
    return TestRedis.uniquePrefix();
  }

  @Override
  protected void checkInvariants(Broker broker) {
    RedisBroker redis = (RedisBroker) broker;
    for (String queue : redis.queues()) {
      assertThat(redis.tools().doctor(queue, false).findings()).as("doctor of queue " + queue).isEmpty();
    }
  }
}
