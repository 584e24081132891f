package dev.jobq.testing;

import dev.jobq.contract.BrokerContractTest;
import dev.jobq.spi.Broker;
import java.time.Clock;

/** The broker contract, in full, on the in-memory broker: what RedisBroker passes, it passes. */
class InMemoryBrokerContractTest extends BrokerContractTest {

  @Override
  protected Broker newBroker(Clock clock) {
    return new InMemoryBroker(clock);
  }
}
