package dev.jobq.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import dev.jobq.worker.Worker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Worker and producer in this JVM on a real Redis: what the spans of failing and odd jobs say. */
class TracedAttemptsTest {
  private static final String QUEUE = "traced";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = TraceAcrossJvmsTest.sdkExportingTo(exporter);
  private final RedisBroker broker = RedisBroker.connect(
      RedisConfig.builder().url(TestRedis.shared().url()).prefix(TestRedis.uniquePrefix()).build());

  @AfterEach
  void close() {
    broker.close();
    sdk.close();
  }

  @Test
  void failedAttemptsAreErrorSpansOfTheSameSendSpan() {
    JobClient client = JobClient.create(broker).withMiddleware(new TracingEnqueueMiddleware(sdk));
    Worker worker = worker("otel.fails", ctx -> {
      throw new IllegalStateException("card declined on attempt " + ctx.attempt());
    });
    EnqueueResult job = enqueueInSpan(client, JobRequest.builder("otel.fails").queue(QUEUE)
        .maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(1))).build());

    assertThat(worker.runReadyJobs(1)).isEqualTo(1);
    // the second attempt is ready once its backoff has passed
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.runReadyJobs(1) == 1);

    assertThat(broker.get(QUEUE, job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    SpanData send = named("send " + QUEUE).get(0);
    List<SpanData> attempts = named("process " + QUEUE);
    assertThat(attempts).hasSize(2);
    for (int i = 0; i < 2; i++) {
      SpanData attempt = attempts.get(i);
      assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(attempt.getParentSpanId()).isEqualTo(send.getSpanId());
      assertThat(attempt.getTraceId()).isEqualTo(send.getTraceId());
      assertThat(attempt.getAttributes().get(MessagingAttributes.ATTEMPT)).isEqualTo(i + 1L);
      assertThat(attempt.getAttributes().get(MessagingAttributes.ERROR_TYPE))
          .isEqualTo(IllegalStateException.class.getName());
      assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(attempt.getStatus().getDescription()).isEqualTo("card declined on attempt " + (i + 1));
      EventData exception = attempt.getEvents().get(0);
      assertThat(exception.getName()).isEqualTo("exception");
      assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.type")))
          .isEqualTo(IllegalStateException.class.getName());
    }
  }

  @Test
  void jobEnqueuedWithoutTracingRunsInARootSpanWithoutLinks() {
    Worker worker = worker("otel.plain", ctx -> "done");
    EnqueueResult job = JobClient.create(broker).enqueue(JobRequest.builder("otel.plain").queue(QUEUE).build());

    assertThat(worker.runReadyJobs(1)).isEqualTo(1);

    SpanData attempt = named("process " + QUEUE).get(0);
    assertThat(attempt.getParentSpanContext().isValid()).isFalse();
    assertThat(attempt.getLinks()).isEmpty();
    assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attempt.getAttributes().get(MessagingAttributes.MESSAGE_ID)).isEqualTo(job.jobId());
  }

  @Test
  void sendSpanOfARefusedBatchEndsAsAnErrorWithTheNextEnqueue() {
    TracingEnqueueMiddleware tracing = new TracingEnqueueMiddleware(sdk, Duration.ZERO);
    JobClient client = JobClient.create(broker, 100).withMiddleware(tracing);
    // the payload check runs after the middleware: the span is started, enqueue never answers
    assertThatThrownBy(() -> client.enqueue(JobRequest.builder("otel.big").queue(QUEUE)
        .payload("\"" + "x".repeat(200) + "\"").build())).isInstanceOf(InvalidJobException.class);
    assertThat(tracing.pendingCount()).isEqualTo(1);

    client.enqueue(JobRequest.builder("otel.small").queue(QUEUE).build());

    assertThat(tracing.pendingCount()).isZero();
    List<SpanData> sends = named("send " + QUEUE);
    assertThat(sends).extracting(s -> s.getStatus().getStatusCode())
        .containsExactly(StatusCode.ERROR, StatusCode.UNSET);
    assertThat(sends.get(1).getAttributes().get(MessagingAttributes.CREATED)).isTrue();
  }

  @Test
  void sendSpanOfARefusedBatchEndsAsAnErrorWhenTheMiddlewareIsClosed() {
    TracingEnqueueMiddleware tracing = new TracingEnqueueMiddleware(sdk, Duration.ofHours(1));
    JobClient client = JobClient.create(broker, 100).withMiddleware(tracing);
    assertThatThrownBy(() -> client.enqueue(JobRequest.builder("otel.big").queue(QUEUE)
        .payload("\"" + "x".repeat(200) + "\"").build())).isInstanceOf(InvalidJobException.class);
    client.enqueue(JobRequest.builder("otel.small").queue(QUEUE).build());
    assertThat(tracing.pendingCount()).as("not old enough to be swept").isEqualTo(1);

    tracing.close();

    assertThat(tracing.pendingCount()).isZero();
    assertThat(named("send " + QUEUE)).extracting(s -> s.getStatus().getStatusCode())
        .containsExactlyInAnyOrder(StatusCode.UNSET, StatusCode.ERROR);
  }

  private Worker worker(String type, dev.jobq.JobHandler handler) {
    return Worker.builder(broker).queues(QUEUE).handler(type, handler)
        .middleware(new TracingJobMiddleware(sdk)).build();
  }

  private EnqueueResult enqueueInSpan(JobClient client, JobRequest request) {
    Span outer = sdk.getTracer("test").spanBuilder("outer").startSpan();
    try (Scope ignored = outer.makeCurrent()) {
      return client.enqueue(request);
    } finally {
      outer.end();
    }
  }

  /** Finished spans of that name, in the order they ended. */
  private List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }
}
