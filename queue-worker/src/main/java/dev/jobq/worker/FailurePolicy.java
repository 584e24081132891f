package dev.jobq.worker;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Turns a failed attempt into an outcome: retry after a delay, or dead-letter. */
final class FailurePolicy {
  /** How deep to look through causes for a permanent type: wrappers rarely nest deeper. */
  private static final int MAX_CAUSE_DEPTH = 10;

  private final RetryPolicy defaultPolicy;
  private final List<Class<? extends Throwable>> permanentTypes;
  private final RandomGenerator random = new SplittableRandom();

  FailurePolicy(RetryPolicy defaultPolicy, List<Class<? extends Throwable>> permanentTypes) {
    this.defaultPolicy = defaultPolicy;
    this.permanentTypes = List.copyOf(permanentTypes);
  }

  RetryPolicy defaultPolicy() {
    return defaultPolicy;
  }

  Outcome outcomeOf(Job job, Throwable error) {
    return Outcome.fail(error, failureOf(error), isPermanent(error) ? null : retryDelay(job));
  }

  /** The job's own attempts and backoff; the worker's default backoff when the job has none. */
  Duration retryDelay(Job job) {
    int max = job.maxAttempts() >= 1 ? job.maxAttempts() : defaultPolicy.maxAttempts();
    Backoff backoff = job.backoff() != null ? job.backoff() : defaultPolicy.backoff();
    RetryPolicy policy = new RetryPolicy(Math.min(max, RetryPolicy.MAX_ATTEMPTS_LIMIT), backoff);
    synchronized (random) {
      return policy.nextDelay(Math.max(1, job.attempt()), random).orElse(null);
    }
  }

  boolean isPermanent(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
      if (t instanceof PermanentFailureException) {
        return true;
      }
      for (Class<? extends Throwable> type : permanentTypes) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Like {@link Failure#of(Throwable)}, but never throws, whatever the exception does. */
  static Failure failureOf(Throwable error) {
    try {
      return Failure.of(error);
    } catch (Throwable broken) {
      return Failure.of(error.getClass().getName(),
          "(the exception could not describe itself: " + broken.getClass().getName() + ")");
    }
  }
}
