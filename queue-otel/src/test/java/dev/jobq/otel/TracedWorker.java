package dev.jobq.otel;

import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.spi.Broker;
import dev.jobq.worker.Worker;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker JVM of {@link TraceAcrossJvmsTest}. Args: Redis URL, key prefix, queue, spans file.
 * It sets a global OpenTelemetry SDK that appends finished spans to the file, and finds {@link
 * TracingJobMiddleware} the way an application would: through ServiceLoader. Its handler
 * {@value #TYPE} starts a span of its own inside the job's span, and answers the trace id it saw.
 *
 * <p>It halts when the test JVM that started it dies, so that no worker outlives a test run.
 */
public final class TracedWorker {
  static final String TYPE = "otel.traced";

  private TracedWorker() {}

  public static void main(String[] args) {
    ProcessHandle.current().parent().ifPresent(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new JsonLinesSpanExporter(Path.of(args[3]))))
            .build())
        .build();
    GlobalOpenTelemetry.set(sdk);
    int code;
    try (Broker broker = RedisBroker.connect(RedisConfig.builder().url(args[0]).prefix(args[1]).build())) {
      Worker worker = Worker.builder(broker)
          .queues(args[2])
          .shutdownGrace(Duration.ofSeconds(2))
          .handler(TYPE, ctx -> {
            Span inner = GlobalOpenTelemetry.getTracer("test.handler").spanBuilder("handler work").startSpan();
            inner.end();
            return Span.current().getSpanContext().getTraceId();
          })
          .discoverHandlers(TracedWorker.class.getClassLoader())
          .build();
      code = worker.runUntilSignalled();
    }
    sdk.close();
    System.exit(code);
  }
}
