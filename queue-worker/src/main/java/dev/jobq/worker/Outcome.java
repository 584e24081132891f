package dev.jobq.worker;

import dev.jobq.spi.Failure;
import java.time.Duration;

/**
 * What to tell the broker about one attempt. Built by the job thread (or the timeout timer, or
 * the shutdown), delivered by {@link Reporter} now or later from the outbox.
 *
 * @param result the handler's return value, for {@code onSuccess}
 * @param resultJson the encoded result, for COMPLETE
 * @param error the handler's exception (or the timeout), for FAIL and the callbacks
 * @param retryDelay null to dead-letter
 */
record Outcome(
    Kind kind, Object result, String resultJson, Throwable error, Failure failure,
    Duration retryDelay) {

  enum Kind { COMPLETE, FAIL, RELEASE }

  static Outcome complete(Object result, String resultJson) {
    return new Outcome(Kind.COMPLETE, result, resultJson, null, null, null);
  }

  static Outcome fail(Throwable error, Failure failure, Duration retryDelay) {
    return new Outcome(Kind.FAIL, null, null, error, failure, retryDelay);
  }

  static Outcome release() {
    return new Outcome(Kind.RELEASE, null, null, null, null, null);
  }
}
