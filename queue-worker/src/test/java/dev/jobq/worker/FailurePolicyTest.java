package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
  private final FailurePolicy policy = new FailurePolicy(
      new RetryPolicy(4, Backoff.fixed(Duration.ofSeconds(7))),
      List.of(IllegalArgumentException.class));

  @Test
  void jobWithoutBackoffUsesTheWorkersDefaultBackoffAndItsOwnAttempts() {
    assertThat(policy.retryDelay(Jobs.active("t", "{}", 1, 2, null))).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.retryDelay(Jobs.active("t", "{}", 2, 2, null))).isNull();
  }

  @Test
  void jobsOwnBackoffWins() {
    Backoff exp = Backoff.exponential(Duration.ofSeconds(1), 3);
    assertThat(policy.retryDelay(Jobs.active("t", "{}", 2, 5, exp))).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void lastAttemptDeadLetters() {
    Outcome o = policy.outcomeOf(Jobs.active("t", "{}", 3, 3, null), new IllegalStateException("x"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAIL);
    assertThat(o.retryDelay()).isNull();
  }

  @Test
  void jitterSpreadsRetryDelaysWithinItsBounds() {
    Backoff jittered = Backoff.fixed(Duration.ofSeconds(10)).withJitter(0.5);
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration d = policy.retryDelay(Jobs.active("t", "{}", 1, 5, jittered));
      assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
      seen.add(d);
    }
    assertThat(seen).hasSizeGreaterThan(50);
  }

  @Test
  void markedTypesAndThePermanentExceptionFailForGood() {
    assertThat(policy.isPermanent(new PermanentFailureException("no"))).isTrue();
    assertThat(policy.isPermanent(new IllegalArgumentException("bad"))).isTrue();
    assertThat(policy.isPermanent(new NumberFormatException("subclass of a marked type"))).isTrue();
    assertThat(policy.isPermanent(new RuntimeException("wrapped", new IllegalArgumentException())))
        .isTrue();
    assertThat(policy.isPermanent(new UncheckedIOException(new java.io.IOException()))).isFalse();
    assertThat(policy.outcomeOf(Jobs.active("t", "{}", 1, 5, null), new PermanentFailureException("p"))
        .retryDelay()).isNull();
  }

  @Test
  void failureOfAnExceptionThatCannotDescribeItselfStillHasItsClass() {
    RuntimeException broken = new RuntimeException() {
      @Override
      public String getMessage() {
        throw new IllegalStateException("boom");
      }
    };
    Failure f = FailurePolicy.failureOf(broken);
    assertThat(f.errorClass()).isEqualTo(broken.getClass().getName());
  }
}
