package dev.jobq.otel;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;
import java.util.function.Supplier;

/** Where the middleware gets its tracer: from an OpenTelemetry it was given, or the global one. */
final class Tracers {
  static final String SCOPE = "dev.jobq.otel";

  private Tracers() {}

  static Supplier<Tracer> of(OpenTelemetry openTelemetry) {
    Tracer tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
    return () -> tracer;
  }

  /**
   * The global OpenTelemetry's tracer, looked up at each use. Middleware found by ServiceLoader
   * is built before the application (or the Java agent) may have set the global instance, and
   * {@link GlobalOpenTelemetry#get()} would then fix it to a no-op for good; {@code getOrNoop}
   * leaves it unset, so spans start as soon as it is set.
   */
  static Supplier<Tracer> global() {
    return () -> GlobalOpenTelemetry.getOrNoop().getTracer(SCOPE);
  }
}
