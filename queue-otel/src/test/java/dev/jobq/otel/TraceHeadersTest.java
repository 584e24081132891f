package dev.jobq.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tracing never refuses a job: headers that would break a job's limits are left out. */
class TraceHeadersTest {
  private final OpenTelemetrySdk sdk = TraceAcrossJvmsTest.sdkExportingTo(InMemorySpanExporter.create());
  private final TracingEnqueueMiddleware tracing = new TracingEnqueueMiddleware(sdk);

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void jobWithAllItsHeadersUsedGoesWithoutTraceHeaders() {
    JobRequest.Builder full = JobRequest.builder("otel.full");
    for (int i = 0; i < JobRequest.MAX_HEADERS; i++) {
      full.header("h" + i, "v");
    }

    JobRequest out = tracing.beforeEnqueue(full.build());

    assertThat(out.headers()).hasSize(JobRequest.MAX_HEADERS).doesNotContainKey("traceparent");
  }

  @Test
  void tracestateOverTheHeaderLimitIsLeftOutAndTraceparentKept() {
    TraceStateBuilder state = TraceState.builder();
    for (int i = 0; i < 8; i++) {
      state.put("vendor" + i, "v".repeat(200));
    }
    SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", TraceFlags.getSampled(), state.build());

    JobRequest out;
    try (Scope ignored = Context.root().with(Span.wrap(remote)).makeCurrent()) {
      out = tracing.beforeEnqueue(JobRequest.builder("otel.state").build());
    }

    assertThat(out.headers().get("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-");
    assertThat(out.headers()).doesNotContainKey("tracestate");
  }

  @Test
  void shortTracestateTravelsWithTheJob() {
    SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.builder().put("acme", "t61rcWkgMzE").build());

    JobRequest out;
    try (Scope ignored = Context.root().with(Span.wrap(remote)).makeCurrent()) {
      out = tracing.beforeEnqueue(JobRequest.builder("otel.state").build());
    }

    assertThat(out.headers()).containsEntry("tracestate", "acme=t61rcWkgMzE");
  }
}
