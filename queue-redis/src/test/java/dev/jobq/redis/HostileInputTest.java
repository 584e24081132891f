package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.InvalidJobException;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input meant to break things is refused with a message naming it, and writes nothing. */
class HostileInputTest {
  final Fixture f = new Fixture();

  @AfterEach
  void nothingWasWritten() {
    assertThat(f.keys()).isEmpty();
    f.close();
  }

  @Test
  void deeplyNestedJson() {
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> f.client.enqueue(job("a").payload(nested).build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("nesting depth");
  }

  @Test
  void hundredMebibytePayload() {
    String huge = "\"" + "x".repeat(100 * 1024 * 1024) + "\"";
    assertThatThrownBy(() -> f.client.enqueue(job("a").payload(huge).build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("payload is over");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{q}", "a b", "line\nbreak", "star*", "tab\t", "", "-leading"})
  void queueNamesThatBreakKeys(String name) {
    assertThatThrownBy(() -> job("a").queue(name).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("queue");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{id}", "a b", "new\nline", "star*", "\u0000nul"})
  void jobIdsThatBreakKeys(String id) {
    assertThatThrownBy(() -> job("a").id(id).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("id");
  }

  @Test
  void veryLongNames() {
    assertThatThrownBy(() -> job("a").queue("q".repeat(10_000)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("long");
    assertThatThrownBy(() -> job("a").id("i".repeat(10_000)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("long");
    assertThatThrownBy(() -> job("t".repeat(10_000)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("long");
  }

  @Test
  void absurdDelaysAndTimeouts() {
    assertThatThrownBy(() -> job("a").delay(Duration.ofDays(100_000)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("over the limit");
    assertThatThrownBy(() -> job("a").timeout(Duration.ofSeconds(-5)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("-5");
    assertThatThrownBy(() -> job("a").timeout(Duration.ofDays(365)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("over the limit");
    assertThatThrownBy(() -> job("a").maxAttempts(1_000_000).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("1000000");
  }

  @Test
  void runAtFarInTheFuture() {
    assertThatThrownBy(() -> f.client.enqueue(job("a").runAt(Instant.parse("9999-01-01T00:00:00Z")).build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("9999");
  }

  @Test
  void unknownStatusOrPriorityNames() {
    assertThatThrownBy(() -> JobStatus.parse("RUNNING")).hasMessageContaining("RUNNING");
    assertThatThrownBy(() -> dev.jobq.Priority.parse("9")).hasMessageContaining("9");
  }
}
