package dev.jobq.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import java.util.Map;

/** The handlers every worker knows unless told otherwise: for smoke tests, demos and benchmarks. */
final class BuiltInHandlers {
  static final String NOOP = "jobq.noop";
  static final String SLEEP = "jobq.sleep";
  static final String ECHO = "jobq.echo";
  static final String FAIL = "jobq.fail";

  private BuiltInHandlers() {}

  static Map<String, JobHandler> all() {
    return Map.of(
        NOOP, ctx -> null,
        SLEEP, BuiltInHandlers::sleep,
        ECHO, JobContext::payloadTree,
        FAIL, BuiltInHandlers::fail);
  }

  /** {@code {"ms": N}}: sleeps N ms; an interrupt (timeout, cancel, shutdown) ends it early. */
  private static Object sleep(JobContext ctx) throws InterruptedException {
    JsonNode ms = ctx.payloadTree().path("ms");
    if (!ms.canConvertToLong() || ms.asLong() < 0) {
      throw new UndecodablePayloadException(
          SLEEP + " needs a payload such as {\"ms\": 500}, got " + ctx.payload(), null);
    }
    Thread.sleep(ms.asLong());
    return null;
  }

  /**
   * Fails on purpose: {@code {"until": N}} fails attempts before N and succeeds from attempt N;
   * without "until" every attempt fails; {@code {"permanent": true}} fails permanently.
   */
  private static Object fail(JobContext ctx) {
    JsonNode payload = ctx.payloadTree();
    if (payload.path("permanent").asBoolean(false)) {
      throw new PermanentFailureException(FAIL + ": permanent failure on purpose");
    }
    JsonNode until = payload.path("until");
    if (until.canConvertToInt() && ctx.attempt() >= until.asInt()) {
      return null;
    }
    throw new IllegalStateException(FAIL + ": attempt " + ctx.attempt() + " fails on purpose"
        + (until.canConvertToInt() ? " (succeeds from attempt " + until.asInt() + ")" : ""));
  }
}
