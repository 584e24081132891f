package dev.jobq.contract;

import dev.jobq.JobClient;
import dev.jobq.spi.Broker;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every {@link Broker} must do, whatever keeps its state: each topic interface holds the
 * cases of one part of the contract, and a broker's test extends this class to run them all.
 *
 * <pre>{@code
 * class InMemoryBrokerContractTest extends BrokerContractTest {
 *   protected Broker newBroker(Clock clock) {
 *     return new InMemoryBroker(clock);
 *   }
 * }
 * }</pre>
 *
 * <p>Each case gets a fresh, empty broker from {@link #newBroker}, on a {@link MutableClock}
 * that starts at {@link BrokerUnderTest#START} and moves only when the case moves it. The broker
 * must keep finished jobs as jobq does by default: completed and cancelled ones for 24 hours
 * (at most 100,000), failed ones until retried or purged. The cases assert only what the {@link
 * Broker} Javadoc, {@code docs/PROTOCOL.md} and the README promise, never how a broker stores it.
 */
public abstract class BrokerContractTest
    implements EnqueueContract, ClaimContract, LeaseContract, OutcomeContract, ReaperContract,
        CancelContract, OperationsContract, QueryContract, DependencyContract, UniqueContract,
        EscalationContract, LimitContract, ScheduleContract, EventContract, StatsContract,
        WorkerContract, WrongStateContract, ConcurrencyContract, ClaimTypesContract,
        JobActionContract, HistoryContract, DeadLetterContract {
  private MutableClock clock;
  private Broker broker;
  private JobClient client;

  /** A new broker with nothing in it, whose time is {@code clock}. */
  protected abstract Broker newBroker(Clock clock);

  /**
   * Checks what must hold after every case, before the broker is closed: for a broker with a
   * checker of its own (the Redis broker's doctor), that each job is in exactly one place.
   */
  protected void checkInvariants(Broker broker) {}

  @BeforeEach
  final void startBroker() {
    clock = new MutableClock(START);
    broker = newBroker(clock);
    client = JobClient.create(broker);
  }

  @AfterEach
  final void stopBroker() {
    try {
      checkInvariants(broker);
    } finally {
      broker.close();
    }
  }

  @Override
  public final Broker broker() {
    return broker;
  }

  @Override
  public final MutableClock clock() {
    return clock;
  }

  @Override
  public final JobClient client() {
    return client;
  }
}
