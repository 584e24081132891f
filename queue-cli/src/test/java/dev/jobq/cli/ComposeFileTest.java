package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.http.HttpApi;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is what docker-compose accepts, with the deployment the README promises,
 * and the jobq-server's healthcheck works against a real server (no Docker needed for that).
 */
class ComposeFileTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final String TOKENS = "admin compose-test-token";

  @Test
  void composeFileIsValidWithThreeWorkersRedisAofAndTheServer() throws Exception {
    assertThat(ROOT.resolve("docker-compose.yml")).exists();
    String config = compose(TOKENS, "config");
    assertThat(compose(TOKENS, "config", "-q")).isEmpty();
    assertThat(config).contains("replicas: 3").contains("--appendonly").contains("redis-data");
    assertThat(config).contains("REDIS_URL: redis://redis:6379");
    assertThat(config).contains("jobq-server:").contains("- serve").contains("- 0.0.0.0")
        .contains("published: 8080").contains("/v1/health")
        .contains("JOBQ_HTTP_TOKENS: " + TOKENS);
  }

  @Test
  void theMetricsProfileAddsPrometheusWithTheAlertsAndGrafanaWithTheDashboard() throws Exception {
    String config = compose(TOKENS, "--profile", "metrics", "config");

    assertThat(config).contains("prometheus:").contains("/deploy/prometheus")
        .contains("published: 9090").contains("grafana:").contains("/docs/grafana")
        .contains("/deploy/grafana/provisioning").contains("published: 3000");
    assertThat(ROOT.resolve("deploy/prometheus/prometheus.yml")).content()
        .contains("jobq-server:8080").contains("alerts.yml");
    assertThat(ROOT.resolve("deploy/grafana/provisioning/dashboards/jobq.yml")).content()
        .contains("/var/lib/grafana/dashboards");
  }

  @Test
  void theClusterProfileAddsSixNodesJoinedOnceAndJobqOnTheClusterUrl() throws Exception {
    String config = compose(TOKENS, "--profile", "cluster", "config");

    for (int i = 1; i <= 6; i++) {
      assertThat(config).contains("redis-node-" + i + ":").contains("redis-node-" + i + "-data");
    }
    assertThat(config).contains("--cluster-enabled").contains("--appendonly")
        .contains("--cluster-announce-hostname").contains("--cluster-replicas 1")
        .contains("cluster-create:").contains("service_completed_successfully")
        .contains("cluster-worker:").contains("cluster-server:").contains("published: 8081")
        .contains("REDIS_URL: redis-cluster://redis-node-1:6379,redis-node-2:6379,"
            + "redis-node-3:6379");
    Map<String, List<String>> profiles = profilesOf(config);
    for (String service : List.of("redis-node-1", "redis-node-2", "redis-node-3", "redis-node-4",
        "redis-node-5", "redis-node-6", "cluster-create", "cluster-worker", "cluster-server")) {
      assertThat(profiles.get(service)).as("profiles of " + service).containsExactly("cluster");
    }
    for (String service : List.of("redis", "worker", "jobq-server")) {
      assertThat(profiles.get(service)).as("profiles of " + service).isEmpty();
    }
  }

  /**
   * Each service's profiles in the output of docker-compose config, which writes every service
   * at two spaces under {@code services:} and its profiles as a block list at four.
   */
  private static Map<String, List<String>> profilesOf(String config) {
    Map<String, List<String>> profiles = new LinkedHashMap<>();
    List<String> current = null;
    boolean inServices = false;
    boolean inProfiles = false;
    for (String line : config.split("\n")) {
      if (!line.startsWith(" ")) {
        inServices = line.equals("services:");
        current = null;
      } else if (inServices && line.matches("  [^ ].*:")) {
        current = new ArrayList<>();
        profiles.put(line.strip().replaceAll(":$", ""), current);
        inProfiles = false;
      } else if (current != null && line.matches("    [^ -].*")) {
        inProfiles = line.equals("    profiles:");
      } else if (current != null && inProfiles && line.startsWith("    - ")) {
        current.add(line.substring("    - ".length()));
      }
    }
    return profiles;
  }

  @Test
  void composeRefusesToRunWithoutTheServersTokens() throws Exception {
    String out = compose(null, "config", "-q");

    assertThat(out).contains("set JOBQ_HTTP_TOKENS to \"admin <a long random token>\"");
  }

  @Test
  void serverHealthcheckPassesOnlyWhileTheApiAndRedisAnswer() throws Exception {
    try (TestRedis redis = TestRedis.start();
        RedisBroker broker = RedisBroker.connect(
            RedisConfig.builder().url(redis.url()).prefix(TestRedis.uniquePrefix()).build())) {
      HttpApi api = HttpApi.create(broker).start("127.0.0.1", 0, "");
      try {
        String check = healthcheck().replace("/127.0.0.1/8080 ", "/127.0.0.1/" + api.port() + " ");
        assertThat(check).contains("/" + api.port() + " ");

        assertThat(bash(check)).as("healthy while Redis answers").isZero();
        redis.stop();
        assertThat(bash(check)).as("unhealthy while Redis is down").isNotZero();
        redis.restart();
        assertThat(bash(check)).as("healthy again once Redis is back").isZero();
      } finally {
        api.stop();
      }
      assertThat(bash(healthcheck().replace("8080", Integer.toString(freePort()))))
          .as("unhealthy when nothing listens").isNotZero();
    }
  }

  /** The jobq-server's healthcheck script, as docker would hand it to bash -c. */
  private static String healthcheck() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("docker-compose.yml"));
    String line = lines.stream().map(String::trim)
        .filter(l -> l.startsWith("test:") && l.contains("/v1/health")).findFirst()
        .orElseThrow(() -> new AssertionError("no healthcheck on /v1/health in docker-compose.yml"));
    // a flow sequence of double-quoted strings reads the same as a JSON array
    JsonNode test = Json.tree(line.substring("test:".length()));
    assertThat(test.get(0).asText() + " " + test.get(1).asText() + " " + test.get(2).asText())
        .isEqualTo("CMD bash -c");
    return test.get(3).asText();
  }

  private static int bash(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the healthcheck finished").isTrue();
    return p.exitValue();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Runs docker-compose with JOBQ_HTTP_TOKENS set to {@code tokens} (unset when null); a run that
   * should pass must exit 0, one without tokens must not.
   */
  private static String compose(String tokens, String... args)
      throws IOException, InterruptedException {
    String binary = findOnPath("docker-compose");
    if (binary == null) {
      String why = "docker-compose is not installed (scripts/test installs it)";
      if (Boolean.getBoolean("redis.required")) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    String[] cmd = new String[args.length + 1];
    cmd[0] = binary;
    System.arraycopy(args, 0, cmd, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    if (tokens == null) {
      pb.environment().remove("JOBQ_HTTP_TOKENS");
    } else {
      pb.environment().put("JOBQ_HTTP_TOKENS", tokens);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
    String what = "docker-compose " + String.join(" ", args) + ": " + out;
    if (tokens == null) {
      assertThat(p.exitValue()).as(what).isNotZero();
    } else {
      assertThat(p.exitValue()).as(what).isZero();
    }
    return out;
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
