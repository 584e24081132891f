package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobRequestTest {
  @Test
  void defaultsAreNormalPriorityDefaultQueueAndFourAttempts() {
    JobRequest r = JobRequest.builder("jobq.noop").build();
    assertThat(r.queue()).isEqualTo("default");
    assertThat(r.priority()).isEqualTo(Priority.NORMAL);
    assertThat(r.maxAttempts()).isEqualTo(4);
    assertThat(r.payload()).isEqualTo("null");
    assertThat(r.idChosen()).isFalse();
    assertThat(r.id()).hasSize(20);
  }

  @Test
  void generatedIdsAreUniqueAndOrderedByTime() {
    String a = JobRequest.builder("t").build().id();
    String b = JobRequest.builder("t").build().id();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.substring(0, 8)).isLessThanOrEqualTo(b.substring(0, 8));
  }

  @Test
  void negativeDelayIsRefusedWithItsValue() {
    assertThatThrownBy(() -> JobRequest.builder("t").delay(Duration.ofSeconds(-5)).build())
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("delay is negative: PT-5S");
  }

  @Test
  void absurdDelaysAndTimeoutsAreRefused() {
    assertThatThrownBy(() -> JobRequest.builder("t").delay(Duration.ofDays(100_000)).build())
        .hasMessageContaining("over the limit");
    assertThatThrownBy(() -> JobRequest.builder("t").timeout(Duration.ZERO).build())
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> JobRequest.builder("t").timeout(Duration.ofDays(30)).build())
        .hasMessageContaining("over the limit");
  }

  @Test
  void delayAndRunAtTogetherAreRefused() {
    assertThatThrownBy(() -> JobRequest.builder("t").delay(Duration.ofSeconds(1)).runAt(Instant.now()).build())
        .hasMessageContaining("not both");
  }

  @Test
  void maxAttemptsBelowOneIsRefused() {
    assertThatThrownBy(() -> JobRequest.builder("t").maxAttempts(0).build())
        .hasMessageContaining("max attempts out of range 1..1000: 0");
  }

  @Test
  void unknownPriorityNamesTheValue() {
    assertThatThrownBy(() -> Priority.parse("urgent"))
        .hasMessage("unknown priority 'urgent': use one of critical, high, normal, low");
    assertThat(Priority.parse("HIGH")).isEqualTo(Priority.HIGH);
    assertThat(Priority.parse("0")).isEqualTo(Priority.CRITICAL);
  }
}
