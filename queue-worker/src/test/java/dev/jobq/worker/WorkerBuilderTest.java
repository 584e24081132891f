package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.InvalidJobException;
import dev.jobq.spi.Broker;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building checks every setting and never touches the broker. */
class WorkerBuilderTest {
  /** A broker that fails any call: build() must not make one. */
  static final Broker UNUSED = (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(),
      new Class<?>[] {Broker.class}, (proxy, method, args) -> {
        throw new AssertionError("build() called the broker: " + method.getName());
      });

  private static WorkerConfig config(Worker.Builder b) throws ReflectiveOperationException {
    Worker w = b.build();
    var field = Worker.class.getDeclaredField("config");
    field.setAccessible(true);
    return (WorkerConfig) field.get(w);
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws Exception {
    WorkerConfig c = config(Worker.builder(UNUSED));
    assertThat(c.queueOrder().queues()).containsExactly("default");
    assertThat(c.concurrency()).isEqualTo(10);
    assertThat(c.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.defaultTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.name()).matches(".+:" + ProcessHandle.current().pid() + ":[0-9a-f]{6}");
    assertThat(c.handlers().types())
        .containsExactly("jobq.echo", "jobq.fail", "jobq.noop", "jobq.sleep");
  }

  @Test
  void heartbeatDefaultsToAThirdOfTheLease() throws Exception {
    assertThat(config(Worker.builder(UNUSED).lease(Duration.ofSeconds(3))).heartbeatInterval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badSettingsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> Worker.builder(UNUSED).concurrency(0).build())
        .hasMessage("concurrency < 1: 0");
    assertThatThrownBy(() -> Worker.builder(UNUSED).lease(Duration.ofMillis(5)).build())
        .hasMessage("lease < 100 ms: 5 ms");
    assertThatThrownBy(() -> Worker.builder(UNUSED).heartbeatInterval(Duration.ofSeconds(20)).build())
        .hasMessageStartingWith("heartbeat interval 20000 ms is over half the lease 30000 ms");
    assertThatThrownBy(() -> Worker.builder(UNUSED).shutdownGrace(Duration.ofSeconds(-1)).build())
        .hasMessage("shutdown grace < 0 ms: -1000 ms");
    assertThatThrownBy(() -> Worker.builder(UNUSED).queues("a", "b", "a").build())
        .hasMessage("queue 'a' is listed twice in [a, b, a]");
    assertThatThrownBy(() -> Worker.builder(UNUSED).queues("{bad}").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{bad}");
    assertThatThrownBy(() -> Worker.builder(UNUSED).queues(List.of()).build())
        .hasMessageStartingWith("no queues");
    assertThatThrownBy(() -> Worker.builder(UNUSED).weightedQueues(Map.of("a", 0)).build())
        .hasMessage("weight of queue 'a' out of range 1..1000: 0");
    assertThatThrownBy(() -> Worker.builder(UNUSED).name("has space").build())
        .hasMessageStartingWith("invalid worker name 'has space'");
    assertThatThrownBy(() -> Worker.builder(UNUSED).builtInHandlers(false).build())
        .hasMessageStartingWith("the worker has no handlers");
  }

  @Test
  void registeringTwoHandlersForOneTypeIsRefused() {
    Worker.Builder b = Worker.builder(UNUSED).handler("a.b", ctx -> null);
    assertThatThrownBy(() -> b.handler("a.b", ctx -> null))
        .hasMessageContaining("'a.b' is already registered");
    assertThatThrownBy(() -> b.handler("bad type", ctx -> null))
        .isInstanceOf(InvalidJobException.class);
  }

  @Test
  void weightedQueuesKeepTheirWeights() throws Exception {
    WorkerConfig c = config(Worker.builder(UNUSED).weightedQueues(Map.of("a", 3, "b", 1)));
    assertThat(c.queueOrder().isWeighted()).isTrue();
    assertThat(c.queueOrder().weights()).containsEntry("a", 3).containsEntry("b", 1);
  }

  @Test
  void shutdownOfAWorkerNeverStartedReturnsAtOnce() throws Exception {
    Worker w = Worker.builder(UNUSED).build();
    w.shutdown();
    assertThat(w.awaitTermination(Duration.ZERO)).isTrue();
  }
}
