package dev.jobq.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.worker.WorkerListener.AttemptOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint on a real port, read by a real HTTP client. */
class MetricsEndpointTest {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HttpClient http = HttpClient.newHttpClient();
  MetricsEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = MetricsEndpoint.start(registry,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesWorkerAndJvmMetricsInThePrometheusTextFormat() throws Exception {
    JobqWorkerMetrics metrics = new JobqWorkerMetrics(registry);
    JvmMetrics.bindTo(registry);
    metrics.jobStarted("mail", "email.send", 15);
    metrics.jobEnded("mail", "email.send", AttemptOutcome.COMPLETED, 2_000_000);
    metrics.jobEnded("mail", "email.send", AttemptOutcome.RETRIED, 3_000_000);

    HttpResponse<String> r = send("GET", "/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
    assertThat(r.body())
        .contains("# TYPE jobq_jobs_total counter")
        .contains("jobq_jobs_total{outcome=\"completed\",queue=\"mail\",type=\"email.send\"} 1")
        .contains("jobq_jobs_total{outcome=\"retried\",queue=\"mail\",type=\"email.send\"} 1")
        .contains("jobq_jobs_total{outcome=\"dead_lettered\",queue=\"mail\",type=\"email.send\"} 0")
        .contains("jobq_job_duration_seconds_count{queue=\"mail\",type=\"email.send\"} 2")
        .contains("jobq_job_duration_seconds_bucket{queue=\"mail\",type=\"email.send\",le=\"+Inf\"} 2")
        .contains("jobq_job_wait_seconds_count{queue=\"mail\",type=\"email.send\"} 1")
        .contains("jobq_worker_busy ")
        .contains("jobq_redis_unavailable_seconds 0")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
  }

  @Test
  void anotherPathIsNotFoundAndAnotherMethodNotAllowed() throws Exception {
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(200);
  }
}
