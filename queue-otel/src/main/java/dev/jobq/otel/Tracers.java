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

  /** The global OpenTelemetry's tracer, from the moment it is set (a no-op one until then). */
  static Supplier<Tracer> global() {
    return new GlobalTracer();
  }

  /**
   * Middleware found by ServiceLoader is built before the application (or the Java agent) may
   * have set the global instance, and {@link GlobalOpenTelemetry#get()} would then fix it to a
   * no-op for good: {@code getOrNoop} leaves it unset. It takes a lock, so the tracer is kept
   * once the global instance is there.
   */
  private static final class GlobalTracer implements Supplier<Tracer> {
    private volatile Tracer set;

    @Override
    public Tracer get() {
      Tracer t = set;
      if (t != null) {
        return t;
      }
      if (!GlobalOpenTelemetry.isSet()) {
        return OpenTelemetry.noop().getTracer(SCOPE);
      }
      t = GlobalOpenTelemetry.getOrNoop().getTracer(SCOPE);
      set = t;
      return t;
    }
  }
}
