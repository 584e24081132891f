package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}, as {@code scripts/test} installs it) scrapes
 * the server's {@code /metrics} every second, and its query API answers a queue's depth and its
 * completed jobs. Without the binary the test is skipped, unless {@code prometheus.required=true}
 * (set by scripts/test), when it fails.
 */
class PrometheusScrapeTest extends ApiTestBase {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  // generous: Prometheus starts, then scrapes every second, on two cores shared with the build
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private Process prometheus;
  private String prometheusUrl;

  @AfterEach
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void prometheusScrapesAQueuesDepthAndCompletedJobs() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.enqueue(JobRequest.builder("email.send").queue("mail").build());
    }
    var job = broker.claim("mail", "w1", 1, Duration.ofSeconds(30)).get(0);
    broker.complete("mail", job.id(), job.token(), null);
    startPrometheus();

    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
        value("sum(jobq_queue_jobs{queue=\"mail\",status=\"waiting\"})")).hasValue(2.0));
    assertThat(value("jobq_queue_completed_total{queue=\"mail\"}")).hasValue(1.0);
    assertThat(value("up{job=\"jobq\"}")).as("the scrape succeeds").hasValue(1.0);
  }

  private void startPrometheus() throws IOException {
    boolean present = Files.isExecutable(PROMETHEUS);
    if (!present && Boolean.getBoolean("prometheus.required")) {
      throw new IllegalStateException("no " + PROMETHEUS
          + ": install Debian's prometheus (prometheus.required=true)");
    }
    assumeTrue(present, "no prometheus: scripts/test installs it");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: jobq",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + api.port() + "']",
        ""));
    int port = freePort();
    prometheusUrl = "http://127.0.0.1:" + port;
    prometheus = new ProcessBuilder(List.of(PROMETHEUS.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /** The query's single value now, empty while Prometheus is not up or has no such series. */
  private Optional<Double> value(String promql) throws InterruptedException {
    String url = prometheusUrl + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException notListeningYet) {
      assertThat(prometheus.isAlive()).as("prometheus runs; its log: " + log()).isTrue();
      return Optional.empty();
    }
    JsonNode result = Json.tree(r.body()).path("data").path("result");
    if (r.statusCode() != 200 || result.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(result.get(0).path("value").get(1).asDouble());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
