package dev.jobq.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.EnqueueResult;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestJvms;
import dev.jobq.redis.TestRedis;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer in this JVM, a real worker in another: one trace across both. */
class TraceAcrossJvmsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  @Test
  void workerSpanContinuesTheTraceTheJobWasEnqueuedIn() throws Exception {
    TestRedis redis = TestRedis.shared();
    String prefix = TestRedis.uniquePrefix();
    String queue = "traced";
    Path spansFile = tmp.resolve("worker-spans.jsonl");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk sdk = sdkExportingTo(exporter);
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix).build());
        TestJvms jvms = new TestJvms(Path.of("target", "otel"), prefix)) {
      JobClient client = JobClient.create(broker).withMiddleware(new TracingEnqueueMiddleware(sdk));
      Span request = sdk.getTracer("test").spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).startSpan();
      EnqueueResult enqueued;
      try (Scope ignored = request.makeCurrent()) {
        enqueued = client.enqueue(JobRequest.builder(TracedWorker.TYPE).queue(queue).build());
      } finally {
        request.end();
      }
      SpanData send = only(exporter.getFinishedSpanItems(), "send " + queue);
      assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(send.getAttributes().asMap()).containsEntry(MessagingAttributes.MESSAGE_ID, enqueued.jobId())
          .containsEntry(MessagingAttributes.OPERATION_TYPE, "send")
          .containsEntry(MessagingAttributes.DESTINATION, queue);
      assertThat(broker.get(queue, enqueued.jobId()).orElseThrow().headers().get("traceparent"))
          .isEqualTo("00-" + send.getTraceId() + "-" + send.getSpanId() + "-"
              + send.getSpanContext().getTraceFlags().asHex());

      jvms.launch("worker", TracedWorker.class, List.of(redis.url(), prefix, queue, spansFile.toString()));
      String traceSeenByHandler = client.awaitResult(enqueued.jobId(), DEADLINE);

      assertThat(traceSeenByHandler).isEqualTo("\"" + send.getTraceId() + "\"");
      await().atMost(DEADLINE).until(() -> SpanLine.readAll(spansFile).size() >= 2);
      SpanLine process = onlyLine(SpanLine.readAll(spansFile), "process " + queue);
      assertThat(process.kind()).isEqualTo("CONSUMER");
      assertThat(process.traceId()).isEqualTo(send.getTraceId());
      assertThat(process.parentSpanId()).isEqualTo(send.getSpanId());
      assertThat(process.links()).containsExactly(Map.of("traceId", send.getTraceId(), "spanId", send.getSpanId()));
      assertThat(process.status()).isEqualTo("UNSET");
      assertThat(process.attributes()).containsEntry("messaging.system", "jobq")
          .containsEntry("messaging.destination.name", queue)
          .containsEntry("messaging.message.id", enqueued.jobId())
          .containsEntry("messaging.operation.type", "process")
          .containsEntry("messaging.jobq.job.type", TracedWorker.TYPE)
          .containsEntry("messaging.jobq.attempt", "1");
      SpanLine handlerWork = onlyLine(SpanLine.readAll(spansFile), "handler work");
      assertThat(handlerWork.parentSpanId()).isEqualTo(process.spanId());
      assertThat(handlerWork.traceId()).isEqualTo(send.getTraceId());
    }
  }

  static OpenTelemetrySdk sdkExportingTo(InMemorySpanExporter exporter) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s' among %s", name, spans).hasSize(1);
    return named.get(0);
  }

  private static SpanLine onlyLine(List<SpanLine> spans, String name) {
    List<SpanLine> named = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as("spans named '%s' among %s", name, spans).hasSize(1);
    return named.get(0);
  }
}
