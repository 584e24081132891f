package dev.jobq.otel;

import dev.jobq.JobRequest;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a trace context into a job's headers and reads it back, in W3C Trace Context form
 * ({@code traceparent}, {@code tracestate}): the form every OpenTelemetry SDK and the HTTP
 * agents of other languages read, whatever propagators the application configured.
 */
final class TraceHeaders {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  private static final Logger log = LoggerFactory.getLogger(TraceHeaders.class);
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private TraceHeaders() {}

  /**
   * The request with the trace context of {@code context} in its headers. A header that would
   * break the job's limits is left out rather than refusing the job: tracing must never stop an
   * enqueue.
   */
  static JobRequest inject(Context context, JobRequest request) {
    Map<String, String> trace = new LinkedHashMap<>();
    W3C.inject(context, trace, Map::put);
    JobRequest.Builder b = request.toBuilder();
    int count = request.headers().size();
    for (Map.Entry<String, String> h : trace.entrySet()) {
      boolean isNew = !request.headers().containsKey(h.getKey());
      if (h.getValue().length() > JobRequest.MAX_HEADER_VALUE
          || (isNew && count >= JobRequest.MAX_HEADERS)) {
        log.debug("job {} goes without header {}: it would pass the limit of {} headers of {}"
            + " characters", request.id(), h.getKey(), JobRequest.MAX_HEADERS,
            JobRequest.MAX_HEADER_VALUE);
        continue;
      }
      b.header(h.getKey(), h.getValue());
      count += isNew ? 1 : 0;
    }
    return b.build();
  }

  /** {@code base} with the remote span the headers name, or {@code base} when they name none. */
  static Context extract(Context base, Map<String, String> headers) {
    return W3C.extract(base, headers, MapGetter.INSTANCE);
  }

  private enum MapGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
