package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void defaultGivesThreeRetriesAboutFiveFifteenAndFortyFiveSecondsApart() {
    RetryPolicy p = RetryPolicy.DEFAULT;
    assertThat(p.maxAttempts()).isEqualTo(4);
    assertThat(p.nextDelay(1, random).orElseThrow()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    assertThat(p.nextDelay(2, random).orElseThrow()).isBetween(Duration.ofSeconds(12), Duration.ofSeconds(18));
    assertThat(p.nextDelay(3, random).orElseThrow()).isBetween(Duration.ofSeconds(36), Duration.ofSeconds(54));
    assertThat(p.nextDelay(4, random)).isEmpty();
  }

  @Test
  void maxAttemptsBelowOneIsRefused() {
    assertThatThrownBy(() -> new RetryPolicy(0, Backoff.fixed(Duration.ZERO)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("max attempts")
        .hasMessageContaining("0");
  }
}
