package dev.jobq.otel;

import static dev.jobq.otel.MessagingAttributes.ATTEMPT;
import static dev.jobq.otel.MessagingAttributes.DESTINATION;
import static dev.jobq.otel.MessagingAttributes.ERROR_TYPE;
import static dev.jobq.otel.MessagingAttributes.JOB_TYPE;
import static dev.jobq.otel.MessagingAttributes.MESSAGE_ID;
import static dev.jobq.otel.MessagingAttributes.OPERATION_NAME;
import static dev.jobq.otel.MessagingAttributes.OPERATION_TYPE;
import static dev.jobq.otel.MessagingAttributes.PROCESS;
import static dev.jobq.otel.MessagingAttributes.SYSTEM;
import static dev.jobq.otel.MessagingAttributes.SYSTEM_JOBQ;

import dev.jobq.JobContext;
import dev.jobq.JobMiddleware;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/**
 * Job middleware that runs each attempt in a CONSUMER span "process QUEUE" of the trace the job
 * was enqueued in: the span named by the job's {@code traceparent} header (see {@link
 * TracingEnqueueMiddleware}) is its parent and its link, as OpenTelemetry's messaging
 * conventions ask. The span is current while the handler runs, so the handler's own spans nest
 * under it; an attempt that throws records the exception and ends the span as an error.
 *
 * <pre>{@code
 * Worker.builder(broker).middleware(new TracingJobMiddleware(openTelemetry))…
 * }</pre>
 *
 * <p>Listed in {@code META-INF/services}: a worker that discovers middleware finds it, built
 * with the global OpenTelemetry.
 */
public final class TracingJobMiddleware implements JobMiddleware {
  private final Supplier<Tracer> tracer;

  /** With the global OpenTelemetry ({@link io.opentelemetry.api.GlobalOpenTelemetry}), looked up at each attempt. */
  public TracingJobMiddleware() {
    this.tracer = Tracers.global();
  }

  public TracingJobMiddleware(OpenTelemetry openTelemetry) {
    this.tracer = Tracers.of(openTelemetry);
  }

  @Override
  public Object around(JobContext ctx, Next next) throws Exception {
    Span span = start(ctx);
    try (Scope ignored = span.makeCurrent()) {
      return next.proceed();
    } catch (Exception | Error e) {
      span.recordException(e);
      span.setAttribute(ERROR_TYPE, e.getClass().getName());
      span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      span.end();
    }
  }

  private Span start(JobContext ctx) {
    Context producer = TraceHeaders.extract(Context.current(), ctx.headers());
    SpanBuilder b = tracer.get().spanBuilder(PROCESS + " " + ctx.queue())
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(producer)
        .setAttribute(SYSTEM, SYSTEM_JOBQ)
        .setAttribute(DESTINATION, ctx.queue())
        .setAttribute(OPERATION_TYPE, PROCESS)
        .setAttribute(OPERATION_NAME, PROCESS)
        .setAttribute(MESSAGE_ID, ctx.id())
        .setAttribute(JOB_TYPE, ctx.type())
        .setAttribute(ATTEMPT, (long) ctx.attempt());
    SpanContext sent = Span.fromContext(producer).getSpanContext();
    if (sent.isRemote()) {
      // the link survives where a backend drops or re-parents a span whose parent is days old
      b.addLink(sent);
    }
    return b.startSpan();
  }
}
