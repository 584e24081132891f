package dev.jobq.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (Debian's {@code prometheus}, as {@code scripts/test} installs it) on a free
 * port, with its storage and a generated configuration in a test's directory, scraping its
 * targets every second. It lives beside {@link TestRedis} because every module that tests a
 * metrics endpoint already has this test-jar.
 *
 * <p>Without the binaries the test is skipped, unless the system property
 * {@code prometheus.required=true} is set (as {@code scripts/test} does): then it fails.
 */
public final class TestPrometheus implements AutoCloseable {
  public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  public static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final String url;
  private final Path log;

  private TestPrometheus(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** Skips the test without prometheus and promtool, or fails it when they are required. */
  public static void assumeInstalled() {
    boolean present = Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
    if (!present && Boolean.getBoolean("prometheus.required")) {
      throw new IllegalStateException("no " + PROMETHEUS + " or " + PROMTOOL
          + ": install Debian's prometheus (prometheus.required=true)");
    }
    Assumptions.assumeTrue(present, "no prometheus: scripts/test installs it");
  }

  /**
   * Starts Prometheus scraping, every second, each job's target ("127.0.0.1:port", its
   * {@code /metrics}) and evaluating these rule files; it answers once it has started, see
   * {@link #value}.
   */
  public static TestPrometheus start(Path dir, Map<String, String> targetsByJob,
      List<Path> ruleFiles) throws IOException {
    assumeInstalled();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, config(targetsByJob, ruleFiles));
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(List.of(PROMETHEUS.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new TestPrometheus(process, "http://127.0.0.1:" + port, log);
  }

  private static String config(Map<String, String> targetsByJob, List<Path> ruleFiles) {
    List<String> lines = new ArrayList<>(List.of(
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s"));
    if (!ruleFiles.isEmpty()) {
      lines.add("rule_files:");
      ruleFiles.forEach(f -> lines.add("  - " + f.toAbsolutePath()));
    }
    lines.add("scrape_configs:");
    targetsByJob.forEach((job, target) -> {
      lines.add("  - job_name: " + job);
      lines.add("    static_configs:");
      lines.add("      - targets: ['" + target + "']");
    });
    lines.add("");
    return String.join("\n", lines);
  }

  /** Where its web and query API listen, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /**
   * The query's single value now; empty while Prometheus is not up yet or has no such series
   * (or more than one). Fails once the process has died, with its log.
   */
  public Optional<Double> value(String promql) throws InterruptedException {
    Optional<String> body = get("/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (body.isEmpty()) {
      return Optional.empty();
    }
    JsonNode result = Json.tree(body.get()).path("data").path("result");
    if (result.size() != 1) {
      return Optional.empty();
    }
    return Optional.of(result.get(0).path("value").get(1).asDouble());
  }

  /** A GET's body from the API when it answers 200; empty while it does not listen yet. */
  public Optional<String> get(String pathAndQuery) throws InterruptedException {
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException notListeningYet) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited " + process.exitValue()
            + "; its log: " + log());
      }
      return Optional.empty();
    }
    return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
  }

  /** What it printed, for a failure's message. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
