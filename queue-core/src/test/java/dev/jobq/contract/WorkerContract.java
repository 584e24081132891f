package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.WorkerControl.State;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worker registry: heartbeats that expire unless renewed, a starting worker's claim on its
 * name, operators' orders, pruning and removal. A heartbeat may expire by the broker's clock or
 * by real time (as a Redis TTL does): the tests move the clock and wait for either.
 */
public interface WorkerContract extends BrokerUnderTest {
  Duration TTL = Duration.ofSeconds(30);

  private WorkerInfo worker(String id, Instant startedAt) {
    return new WorkerInfo(id, "host-a", 42, List.of(QUEUE, "emails"), 8, 3, 100, 2, startedAt,
        broker().now(), "running");
  }

  @Test
  default void aRegisteredWorkerIsListedAsItsHeartbeatDescribesIt() {
    WorkerInfo info = worker("w-1", START);

    assertThat(broker().registerWorker(info, TTL)).isEqualTo(WorkerControl.NONE);

    assertThat(broker().workers()).containsExactly(info);
  }

  @Test
  default void aHeartbeatNotRenewedWithinItsTtlDisappears() {
    broker().registerWorker(worker("short", START), Duration.ofMillis(200));
    broker().registerWorker(worker("long", START), Duration.ofHours(1));
    advance(Duration.ofSeconds(1));

    await().atMost(Duration.ofSeconds(10)).until(() -> broker().workers().size() == 1);
    assertThat(broker().workers()).extracting(WorkerInfo::id).containsExactly("long");
  }

  @Test
  default void ordersForALiveWorkerMergeAndComeBackWithItsNextHeartbeat() {
    WorkerInfo info = worker("w-1", START);
    broker().registerWorker(info, TTL);

    assertThat(broker().controlWorker("w-1", new WorkerControl(State.QUIET, null))).isTrue();
    assertThat(broker().controlWorker("w-1", new WorkerControl(null, 2))).isTrue();

    assertThat(broker().registerWorker(info, TTL)).isEqualTo(new WorkerControl(State.QUIET, 2));
    assertThat(broker().controlWorker("w-1", new WorkerControl(State.RUN, null))).isTrue();
    assertThat(broker().registerWorker(info, TTL)).isEqualTo(new WorkerControl(State.RUN, 2));
  }

  @Test
  default void ordersForAnUnknownWorkerAreRefusedAndLeaveNoWorkerBehind() {
    assertThat(broker().controlWorker("gone", new WorkerControl(State.STOP, null))).isFalse();

    assertThat(broker().workers()).isEmpty();
  }

  @Test
  default void aNewProcessUnderTheSameNameStartsWithoutTheOldOnesOrders() {
    broker().registerWorker(worker("w-1", START), TTL);
    broker().controlWorker("w-1", new WorkerControl(State.STOP, null));
    advance(Duration.ofSeconds(9));

    WorkerInfo restarted = worker("w-1", START.plusSeconds(9));

    assertThat(broker().registerWorker(restarted, TTL)).isEqualTo(WorkerControl.NONE);
    assertThat(broker().registerWorker(restarted, TTL)).isEqualTo(WorkerControl.NONE);
  }

  @Test
  default void aStartingWorkerIsRefusedTheNameOfALiveOne() {
    WorkerInfo live = worker("w-1", START);
    broker().registerWorker(live, TTL);
    advance(Duration.ofSeconds(5));

    Optional<WorkerInfo> holder = broker().registerNewWorker(worker("w-1", broker().now()), TTL);

    assertThat(holder).contains(live);
    assertThat(broker().workers()).containsExactly(live);
  }

  @Test
  default void aStartingWorkerTakesTheNameOfOneOverdueByTwoHeartbeats() {
    broker().registerWorker(worker("w-1", START), TTL);
    broker().controlWorker("w-1", new WorkerControl(State.STOP, null));
    advance(TTL.multipliedBy(2).dividedBy(3).plusSeconds(1));
    WorkerInfo successor = worker("w-1", broker().now());

    assertThat(broker().registerNewWorker(successor, TTL)).isEmpty();

    assertThat(broker().workers()).containsExactly(successor);
    assertThat(broker().registerWorker(successor, TTL)).as("not the dead one's orders")
        .isEqualTo(WorkerControl.NONE);
  }

  @Test
  default void aStartingWorkerTakesAFreeName() {
    WorkerInfo info = worker("w-new", START);

    assertThat(broker().registerNewWorker(info, TTL)).isEmpty();

    assertThat(broker().workers()).containsExactly(info);
  }

  @Test
  default void pruningForgetsExpiredWorkersSilentLongEnoughAndNoOther() {
    broker().registerWorker(worker("expired", START), Duration.ofMillis(200));
    broker().registerWorker(worker("silent-but-alive", START), Duration.ofHours(1));
    advance(Duration.ofMinutes(10));
    broker().registerWorker(worker("fresh", START), TTL);

    await().atMost(Duration.ofSeconds(10))
        .until(() -> broker().pruneWorkers(Duration.ofMinutes(1)) == 1);

    assertThat(broker().pruneWorkers(Duration.ofMinutes(1))).isZero();
    assertThat(broker().workers()).extracting(WorkerInfo::id)
        .containsExactlyInAnyOrder("silent-but-alive", "fresh");
  }

  @Test
  default void aRemovedWorkerIsGoneAndTakesNoOrders() {
    broker().registerWorker(worker("w-1", START), TTL);
    broker().registerWorker(worker("w-2", START), TTL);

    broker().removeWorker("w-1");

    assertThat(broker().workers()).extracting(WorkerInfo::id).containsExactly("w-2");
    assertThat(broker().controlWorker("w-1", new WorkerControl(State.QUIET, null))).isFalse();
  }
}
