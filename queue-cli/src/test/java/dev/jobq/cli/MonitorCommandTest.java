package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** monitor, stats and workers. */
class MonitorCommandTest {
  private static final String CLEAR = "\033[H\033[2J";

  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void monitorShowsEveryQueueAndTheLiveWorkers() {
    Jobs.waiting(cli, "alpha", 2);
    Jobs.completed(cli, "beta", 3);
    registerWorker("w-1", "alpha");

    Cli.Result r = cli.run("monitor");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("jobq monitor  " + TestRedis.shared().url() + "  prefix " + cli.prefix())
        .contains("QUEUE", "WAITING", "CRIT/HIGH/NORM/LOW", "DONE 1M", "JOBS/MIN 1/5/15", "FAIL%",
            "WAIT P50/P95", "RUN P50/P95", "WORKER", "HEARTBEAT")
        .containsPattern("alpha +running +2 +0/0/2/0")
        .containsPattern("beta +running +0 +0/0/0/0 +0 +0 +0 +3 +3")
        .containsPattern("w-1 +host-1 +42 +alpha +1/4 +running +7 +1");
  }

  @Test
  void monitorPrintsJson() {
    Jobs.waiting(cli, "alpha", 2);
    registerWorker("w-1", "alpha");

    JsonNode j = cli.run("monitor", "--json").json();

    assertThat(fieldNames(j)).containsExactly("time", "redis", "prefix", "queues", "workers");
    JsonNode q = j.get("queues").get(0);
    assertThat(fieldNames(q)).contains("queue", "paused", "waiting", "waitingByPriority",
        "delayed", "active", "failed", "completedLastMinute", "completedLastHour",
        "jobsPerMinute1", "jobsPerMinute5", "jobsPerMinute15", "failureRate", "p50WaitMs",
        "p95WaitMs", "p50RunMs", "p95RunMs");
    assertThat(q.get("waitingByPriority").get("normal").asLong()).isEqualTo(2);
    JsonNode w = j.get("workers").get(0);
    assertThat(w.get("id").asText()).isEqualTo("w-1");
    assertThat(w.get("busy").asInt()).isEqualTo(1);
    assertThat(w.get("heartbeatAgeMs").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void watchRedrawsInPlaceUntilTheCount() {
    Jobs.waiting(cli, "alpha", 1);

    Cli.Result r = cli.run("monitor", "--watch", "10ms", "--count", "3");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().split(Pattern.quote(CLEAR), -1)).hasSize(4);
    assertThat(r.out()).contains("every 10ms, Ctrl-C to stop");
  }

  @Test
  void watchWithJsonPrintsOneLinePerRefresh() {
    Jobs.waiting(cli, "alpha", 1);

    Cli.Result r = cli.run("monitor", "--queue", "alpha", "--watch", "10ms", "--count", "2",
        "--json");

    assertThat(r.out()).doesNotContain(CLEAR);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(Json.tree(lines.get(1)).get("queues").get(0).get("queue").asText())
        .isEqualTo("alpha");
  }

  @Test
  void monitorOfAnUnknownQueueFails() {
    Jobs.waiting(cli, "alpha", 1);

    Cli.Result r = cli.run("monitor", "--queue", "nope", "--watch", "10ms", "--count", "2");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualToIgnoringNewLines(
        "jobq: unknown queue 'nope'; known queues: alpha");
  }

  @Test
  void anEmptyInstallationSaysSo() {
    Cli.Result r = cli.run("monitor");

    assertThat(r.out()).contains("no queues yet", "no live workers");
  }

  @Test
  void statsShowsOneQueueInDetail() {
    Jobs.waiting(cli, "alpha", 2);
    Jobs.completed(cli, "alpha", 1);

    Cli.Result r = cli.run("stats", "--queue", "alpha");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("queue alpha\n")
        .contains("waiting     2 (critical 0, high 0, normal 2, low 0)",
            "completed   1 kept; 1 in the last minute, 1 in the last hour",
            "totals      enqueued 3, completed 1", "max depth   unlimited")
        .containsPattern("run time +p50 \\S+, p95 \\S+, p99 \\S+ \\(1 samples\\)")
        .containsPattern("waiting +2 \\(.*\\); the oldest ready for \\S+\n");
  }

  @Test
  void statsOfEveryQueueAsJson() {
    Jobs.waiting(cli, "alpha", 1);
    Jobs.failed(cli, "beta", 2);

    JsonNode j = cli.run("stats", "--json").json();

    List<String> queues = new ArrayList<>();
    j.get("queues").forEach(q -> queues.add(q.get("queue").asText()));
    assertThat(queues).containsExactly("alpha", "beta");
    JsonNode beta = j.get("queues").get(1);
    assertThat(beta.get("failed").asLong()).isEqualTo(2);
    assertThat(beta.get("totalDeadLettered").asLong()).isEqualTo(2);
    assertThat(beta.get("failureRate").asDouble()).isEqualTo(1.0);
    assertThat(beta.get("totalRetried").asLong()).as("max attempts 1: none").isZero();
    assertThat(List.of("totalCancelled", "totalStalled", "totalReleased", "oldestWaitingMs"))
        .allSatisfy(field -> assertThat(beta.get(field).isIntegralNumber()).as(field).isTrue());
    assertThat(j.get("queues").get(0).get("oldestWaitingMs").asLong())
        .as("alpha's job waits").isNotNegative();
  }

  @Test
  void workersListsTheLiveOnes() {
    Cli.Result none = cli.run("workers");
    registerWorker("w-1", "alpha");
    registerWorker("w-2", "beta");
    Cli.Result two = cli.run("workers");
    JsonNode json = cli.run("workers", "--json").json();

    assertThat(none.out()).isEqualToIgnoringNewLines("no live workers");
    assertThat(two.out()).contains("WORKER", "w-1", "w-2", "1/4");
    assertThat(json.get("workers")).hasSize(2);
    assertThat(json.get("workers").get(0).get("queues").get(0).asText()).isIn("alpha", "beta");
  }

  private void registerWorker(String id, String queue) {
    Instant now = cli.broker().now();
    cli.broker().registerWorker(new WorkerInfo(id, "host-1", 42, List.of(queue), 4, 1, 7, 1,
        now.minusSeconds(60), now, "running"), Duration.ofMinutes(1));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
