package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void exponentialGrowsByItsFactor() {
    Backoff b = Backoff.exponential(Duration.ofSeconds(5), 3);
    assertThat(b.delayAfter(1, random)).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.delayAfter(2, random)).isEqualTo(Duration.ofSeconds(15));
    assertThat(b.delayAfter(3, random)).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void fixedLinearAndFibonacciFollowTheirCurves() {
    assertThat(Backoff.fixed(Duration.ofSeconds(2)).delayAfter(7, random)).hasSeconds(2);
    assertThat(Backoff.linear(Duration.ofSeconds(2)).delayAfter(3, random)).hasSeconds(6);
    Backoff fib = Backoff.fibonacci(Duration.ofSeconds(1));
    assertThat(fib.delayAfter(1, random)).hasSeconds(1);
    assertThat(fib.delayAfter(2, random)).hasSeconds(2);
    assertThat(fib.delayAfter(3, random)).hasSeconds(3);
    assertThat(fib.delayAfter(4, random)).hasSeconds(5);
    assertThat(fib.delayAfter(5, random)).hasSeconds(8);
  }

  @Test
  void listRepeatsItsLastDelay() {
    Backoff b = Backoff.list(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(45));
    assertThat(b.delayAfter(1, random)).hasSeconds(5);
    assertThat(b.delayAfter(3, random)).hasSeconds(45);
    assertThat(b.delayAfter(9, random)).hasSeconds(45);
  }

  @Test
  void jitterStaysWithinItsFractionAndVaries() {
    Backoff b = Backoff.fixed(Duration.ofSeconds(10)).withJitter(0.2);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 1_000; i++) {
      long ms = b.delayAfter(1, random).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isGreaterThanOrEqualTo(8_000);
    assertThat(max).isLessThanOrEqualTo(12_000);
    assertThat(max - min).isGreaterThan(2_000);
  }

  @Test
  void capBoundsEveryDelayIncludingHugeAttempts() {
    Backoff b = Backoff.exponential(Duration.ofSeconds(1), 2).withCap(Duration.ofMinutes(10));
    assertThat(b.delayAfter(500, random)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void specRoundTripsThroughParse() {
    Backoff[] all = {
      Backoff.fixed(Duration.ofMillis(1500)),
      Backoff.linear(Duration.ofSeconds(5)),
      Backoff.exponential(Duration.ofSeconds(5), 3).withJitter(0.2).withCap(Duration.ofHours(1)),
      Backoff.fibonacci(Duration.ofSeconds(1)),
      Backoff.list(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(45)),
    };
    for (Backoff b : all) {
      assertThat(Backoff.parse(b.spec())).isEqualTo(b);
    }
    assertThat(Backoff.parse("exponential:5s:3;jitter=0.2;cap=1h").spec())
        .isEqualTo("exponential:5s:3;jitter=0.2;cap=1h");
  }

  @Test
  void badSpecsNameTheValueAndTheForm() {
    assertThatThrownBy(() -> Backoff.parse("quadratic:5s"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("quadratic:5s")
        .hasMessageContaining("exponential:5s:3");
    assertThatThrownBy(() -> Backoff.parse("fixed:soon")).hasMessageContaining("fixed:soon");
    assertThatThrownBy(() -> Backoff.parse("fixed:5s;jitter=2")).hasMessageContaining("jitter");
  }

  @Test
  void delaysOverTheLimitAreRefusedNamingTheValueAndTheLimit() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofDays(400)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("backoff delay 400d is over the limit of 365d");
    assertThatThrownBy(() -> Backoff.parse("list:5s,9999999d"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("list:5s,9999999d")
        .hasMessageContaining("over the limit of 365d");
    assertThatThrownBy(() -> Backoff.parse("fixed:5s;cap=366d"))
        .hasMessageContaining("backoff cap 366d is over the limit of 365d");
    assertThat(Backoff.fixed(Backoff.MAX_DELAY).delayAfter(1, random)).isEqualTo(Backoff.MAX_DELAY);
  }

  @Test
  void aGrowingBackoffStopsAtTheLimit() {
    Backoff b = Backoff.exponential(Duration.ofDays(1), 100);
    assertThat(b.delayAfter(1_000, random)).isEqualTo(Backoff.MAX_DELAY);
  }
}
