package dev.jobq.otel;

import static dev.jobq.otel.MessagingAttributes.CREATED;
import static dev.jobq.otel.MessagingAttributes.DESTINATION;
import static dev.jobq.otel.MessagingAttributes.JOB_TYPE;
import static dev.jobq.otel.MessagingAttributes.MESSAGE_ID;
import static dev.jobq.otel.MessagingAttributes.OPERATION_NAME;
import static dev.jobq.otel.MessagingAttributes.OPERATION_TYPE;
import static dev.jobq.otel.MessagingAttributes.SEND;
import static dev.jobq.otel.MessagingAttributes.SYSTEM;
import static dev.jobq.otel.MessagingAttributes.SYSTEM_JOBQ;

import dev.jobq.EnqueueMiddleware;
import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Enqueue middleware that gives every job the trace it was enqueued in. For each job it starts a
 * PRODUCER span "send QUEUE", a child of the caller's current span, writes that span's W3C
 * {@code traceparent} (and {@code tracestate}) into the job's headers, and ends the span when
 * enqueue has answered. {@link TracingJobMiddleware} on the worker continues the trace.
 *
 * <pre>{@code
 * JobClient client = JobClient.create(broker).withMiddleware(new TracingEnqueueMiddleware(openTelemetry));
 * }</pre>
 *
 * <p>Listed in {@code META-INF/services}: {@link dev.jobq.JobClient#withDiscoveredMiddleware}
 * finds it, built with the global OpenTelemetry.
 *
 * <p>Enqueue tells middleware only of success: the span of a batch refused after this
 * middleware ran (or lost with Redis) is ended as an error by the next enqueue, before or
 * after, once it is {@link #ABANDONED_AFTER} old, or by {@link #close()}. A client that enqueues
 * nothing more and is never closed leaves it open, and an open span is never exported.
 */
public final class TracingEnqueueMiddleware implements EnqueueMiddleware, AutoCloseable {
  /** A span not answered by then belongs to a batch that was refused or failed: it is closed. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

  private final Supplier<Tracer> tracer;
  private final long abandonedAfterNanos;
  // spans between beforeEnqueue and afterEnqueue, by job id
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

  /** With the global OpenTelemetry ({@link io.opentelemetry.api.GlobalOpenTelemetry}), looked up at each enqueue. */
  public TracingEnqueueMiddleware() {
    this(Tracers.global(), ABANDONED_AFTER);
  }

  public TracingEnqueueMiddleware(OpenTelemetry openTelemetry) {
    this(Tracers.of(openTelemetry), ABANDONED_AFTER);
  }

  TracingEnqueueMiddleware(OpenTelemetry openTelemetry, Duration abandonedAfter) {
    this(Tracers.of(openTelemetry), abandonedAfter);
  }

  private TracingEnqueueMiddleware(Supplier<Tracer> tracer, Duration abandonedAfter) {
    this.tracer = tracer;
    this.abandonedAfterNanos = abandonedAfter.toNanos();
  }

  @Override
  public JobRequest beforeEnqueue(JobRequest request) {
    closeAbandoned();
    Span span = tracer.get().spanBuilder(SEND + " " + request.queue())
        .setSpanKind(SpanKind.PRODUCER)
        .setAttribute(SYSTEM, SYSTEM_JOBQ)
        .setAttribute(DESTINATION, request.queue())
        .setAttribute(OPERATION_TYPE, SEND)
        .setAttribute(OPERATION_NAME, SEND)
        .setAttribute(MESSAGE_ID, request.id())
        .setAttribute(JOB_TYPE, request.type())
        .startSpan();
    Pending earlier = pending.put(request.id(), new Pending(span, System.nanoTime()));
    if (earlier != null) {
      earlier.span.end(); // the same id enqueued again before the first answer
    }
    return TraceHeaders.inject(Context.current().with(span), request);
  }

  @Override
  public void afterEnqueue(JobRequest request, EnqueueResult result) {
    Pending p = pending.remove(request.id());
    if (p == null) {
      return;
    }
    // a uniqueness key can answer with the id of the job that already holds it
    p.span.setAttribute(MESSAGE_ID, result.jobId());
    p.span.setAttribute(CREATED, result.created());
    p.span.end();
    closeAbandoned(); // here too: a client whose last enqueue answers still sweeps
  }

  /**
   * Ends, as errors, the spans still waiting for enqueue's answer: call it when the client is
   * done enqueueing (JobClient does not close its middleware).
   */
  @Override
  public void close() {
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      it.remove();
      p.span.setStatus(StatusCode.ERROR, "the middleware was closed before enqueue answered");
      p.span.end();
    }
  }

  /** How many spans wait for enqueue's answer: for tests. */
  int pendingCount() {
    return pending.size();
  }

  /**
   * Ends, as errors, the spans of batches that never answered (refused by a check after the
   * middleware, or Redis failed): enqueue tells middleware only of success. Looks at most once
   * per abandon time, so a span is ended within twice that.
   */
  private void closeAbandoned() {
    long now = System.nanoTime();
    long last = lastSweep.get();
    if (now - last < abandonedAfterNanos || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.startedNanos >= abandonedAfterNanos) {
        it.remove();
        p.span.setStatus(StatusCode.ERROR, "enqueue did not answer: the batch was refused or failed");
        p.span.end();
      }
    }
  }

  private record Pending(Span span, long startedNanos) {}
}
