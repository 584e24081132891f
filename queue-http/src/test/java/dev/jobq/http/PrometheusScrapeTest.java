package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import dev.jobq.redis.TestPrometheus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus ({@link TestPrometheus}) scrapes the server's {@code /metrics} every second,
 * and its query API answers a queue's depth and its completed jobs, and evaluates the alert rules
 * docker-compose's Prometheus loads. Without the binary the test is skipped, unless
 * {@code prometheus.required=true} (set by scripts/test), when it fails.
 */
class PrometheusScrapeTest extends ApiTestBase {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Path DEPLOYED = ROOT.resolve("deploy/prometheus");
  static final Pattern METRIC = Pattern.compile("\\b(jobq_[a-z_]+)\\b");
  // generous: Prometheus starts, then scrapes every second, on two cores shared with the build
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private TestPrometheus prometheus;

  @AfterEach
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
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
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
        assertThat(ruleHealth()).as("deploy/prometheus/alerts.yml, evaluated")
            .hasSize(5).containsOnly("ok"));
  }

  @Test
  void theDeployedConfigAndAlertRulesPassPromtool() throws Exception {
    TestPrometheus.assumeInstalled();
    Process p = new ProcessBuilder(TestPrometheus.PROMTOOL.toString(), "check", "config",
        DEPLOYED.resolve("prometheus.yml").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS: 5 rules found");
  }

  @Test
  void theAlertsAndTheDashboardAskOnlyForMetricsTheServerShows() throws Exception {
    client.enqueue(JobRequest.builder("email.send").queue("mail").build());
    String scraped = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Set<String> shown = names(scraped);

    for (Path file : List.of(DEPLOYED.resolve("alerts.yml"),
        ROOT.resolve("docs/grafana/jobq.json"))) {
      assertThat(shown).as(file + " asks for").containsAll(names(Files.readString(file)));
    }
    assertThat(Files.readString(ROOT.resolve("docs/OBSERVABILITY.md")))
        .as("every metric shown is documented").contains(shown);
  }

  private static Set<String> names(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Each alert rule's health, once Prometheus has evaluated them ("ok", "err", "unknown"). */
  private List<String> ruleHealth() throws InterruptedException {
    List<String> health = new ArrayList<>();
    prometheus.get("/api/v1/rules").ifPresent(body -> Json.tree(body).path("data")
        .path("groups").forEach(g -> g.path("rules")
            .forEach(rule -> health.add(rule.path("health").asText()))));
    return health;
  }

  private void startPrometheus() throws IOException {
    prometheus = TestPrometheus.start(dir, Map.of("jobq", "127.0.0.1:" + api.port()),
        List.of(DEPLOYED.resolve("alerts.yml")));
  }

  private Optional<Double> value(String promql) throws InterruptedException {
    return prometheus.value(promql);
  }
}
