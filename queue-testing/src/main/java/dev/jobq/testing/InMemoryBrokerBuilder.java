package dev.jobq.testing;

import static dev.jobq.testing.InMemoryBroker.DEFAULT_CANCELLED_RETENTION;
import static dev.jobq.testing.InMemoryBroker.DEFAULT_COMPLETED_RETENTION;
import static dev.jobq.testing.InMemoryBroker.DEFAULT_FAILED_RETENTION;
import static dev.jobq.testing.InMemoryBroker.DEFAULT_MAX_FINISHED_KEPT;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds an {@link InMemoryBroker} ({@link InMemoryBroker#builder()}): the clock and the
 * retention of finished jobs, each defaulting as RedisConfig does.
 */
public final class InMemoryBrokerBuilder {
  private Clock clock = Clock.systemUTC();
  private Duration completedRetention = DEFAULT_COMPLETED_RETENTION;
  private Duration cancelledRetention = DEFAULT_CANCELLED_RETENTION;
  private Duration failedRetention = DEFAULT_FAILED_RETENTION;
  private long maxFinishedKept = DEFAULT_MAX_FINISHED_KEPT;

  InMemoryBrokerBuilder() {}

  public InMemoryBrokerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How long completed jobs are kept (24 h); positive. */
  public InMemoryBrokerBuilder completedRetention(Duration retention) {
    this.completedRetention = retention;
    return this;
  }

  /** How long cancelled jobs are kept (24 h); positive. */
  public InMemoryBrokerBuilder cancelledRetention(Duration retention) {
    this.cancelledRetention = retention;
    return this;
  }

  /** How long failed jobs are kept; zero (the default) keeps them until retried or purged. */
  public InMemoryBrokerBuilder failedRetention(Duration retention) {
    this.failedRetention = retention;
    return this;
  }

  /** The most completed (and, apart, cancelled) jobs kept (100,000); at least 1. */
  public InMemoryBrokerBuilder maxFinishedKept(long max) {
    this.maxFinishedKept = max;
    return this;
  }

  /** Throws {@link IllegalArgumentException} naming a setting out of range. */
  public InMemoryBroker build() {
    return new InMemoryBroker(clock, Store.Retention.of(completedRetention, cancelledRetention,
        failedRetention, maxFinishedKept));
  }
}
