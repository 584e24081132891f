package dev.jobq;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** How many attempts a job gets and how long it waits between them. */
public record RetryPolicy(int maxAttempts, Backoff backoff) {
  /** The most attempts a job may ask for. */
  public static final int MAX_ATTEMPTS_LIMIT = 1_000;

  /** Three retries after the first attempt, 5 s, 15 s and 45 s apart, each ±20 %. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Backoff.exponential(Duration.ofSeconds(5), 3).withJitter(0.2));

  public RetryPolicy {
    checkMaxAttempts(maxAttempts);
    Objects.requireNonNull(backoff, "backoff");
  }

  static int checkMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new InvalidJobException(
          "max attempts out of range 1.." + MAX_ATTEMPTS_LIMIT + ": " + maxAttempts);
    }
    return maxAttempts;
  }

  /**
   * The delay before the next attempt after attempt number {@code attempt} failed, or empty when
   * that was the last one and the job goes to the failed list.
   */
  public Optional<Duration> nextDelay(int attempt, RandomGenerator random) {
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    return Optional.of(backoff.delayAfter(attempt, random));
  }
}
