package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.RetryPolicy;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.TestRedis;
import dev.jobq.spi.Failure;
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
  void monitorFitsEightyColumnsWithTheMostTellingColumns() {
    Jobs.waiting(cli, "notifications-high-priority-eu-west-1", 2);
    Jobs.completed(cli, "beta", 3);
    registerWorker("ip-10-0-3-17.eu-west-1.compute.internal:12345:a1b2c3",
        "notifications-high-priority-eu-west-1");

    Cli.Result r = cli.run("monitor");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines()).as(r.out())
        .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    assertThat(r.out()).startsWith("jobq monitor  " + TestRedis.shared().url() + "  prefix " + cli.prefix())
        .containsPattern("QUEUE +STATE +WAITING +OLDEST +ACTIVE +FAILED +JOBS/MIN +FAIL% +RUN P95")
        .containsPattern("notif\\S*…\\S*st-1 +running +2 +\\d+ms +0 +0 +0 +0% +-\n")
        .containsPattern("beta +running +0 +- +0 +0 +\\S+ +0% +\\d+ms\n")
        .containsPattern("WORKER +BUSY +STATE +PROCESSED +FAILED +HEARTBEAT +UP")
        .containsPattern("ip-10-0-3-17\\.eu…al:12345:a1b2c3 +1/4 +running +7 +1 +\\ds ago +1m")
        .contains("1 worker, 1/4 busy, 0 late (no heartbeat for over 20s)")
        .doesNotContain("CRIT/HIGH/NORM/LOW", "notifications-high-priority-eu-west-1");
  }

  @Test
  void monitorFitsTheWidthColumnsGivesLeavingColumnsOutFromTheRight() {
    Jobs.waiting(cli, "notifications-high-priority-eu-west-1", 2);

    Cli.Result narrow = cli.env("COLUMNS", "50").run("monitor");
    Cli.Result broad = cli.env("COLUMNS", "200").run("monitor");

    assertThat(narrow.out().lines()).as(narrow.out())
        .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(50));
    assertThat(narrow.out()).containsPattern("QUEUE +STATE +WAITING +OLDEST +ACTIVE\n")
        .doesNotContain("FAILED");
    assertThat(broad.out()).containsPattern("notifications-high-priority-eu-west-1 +running +2")
        .doesNotContain("CRIT/HIGH/NORM/LOW");
  }

  @Test
  void aColumnsThatIsNoWidthIsAUsageError() {
    Jobs.waiting(cli, "alpha", 1);

    Cli.Result r = cli.env("COLUMNS", "wide").run("monitor");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("invalid COLUMNS 'wide': expected the terminal's width");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void wideShowsEveryColumnInFull() {
    Jobs.waiting(cli, "alpha", 2);
    Jobs.completed(cli, "beta", 3);
    registerWorker("w-1", "alpha");

    Cli.Result r = cli.env("COLUMNS", "80").run("monitor", "--wide");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("jobq monitor  " + TestRedis.shared().url() + "  prefix " + cli.prefix())
        .containsPattern("QUEUE +STATE +WAITING +CRIT/HIGH/NORM/LOW +OLDEST +DELAYED +ACTIVE"
            + " +FAILED +DONE 1M +DONE 1H +JOBS/MIN 1/5/15 +FAIL% +WAIT MEAN/P50/P95"
            + " +RUN MEAN/P50/P95 +RETRIED +CANCELLED +STALLED +RELEASED\n")
        .contains("WORKER", "HEARTBEAT")
        .containsPattern("alpha +running +2 +0/0/2/0 +\\d+ms +0 +0 +0 +0 +0 +0/0/0 +0% +- +-"
            + " +0 +0 +0 +0\n")
        .containsPattern("beta +running +0 +0/0/0/0 +- +0 +0 +0 +3 +3 +\\S+ +0%"
            + " +\\d+ms/\\d+ms/\\d+ms +\\d+ms/\\d+ms/\\d+ms +0 +0 +0 +0\n")
        .containsPattern("w-1 +host-1 +42 +alpha +1/4 +running +7 +1 +\\ds ago +1m")
        .containsPattern("(?m)^.{81,}$");
  }

  @Test
  void wideShowsTheTotalsRedisCounts() {
    RedisBroker broker = cli.broker();
    Job retried = claimOne("mixed", 2, Duration.ofMinutes(1));
    broker.fail("mixed", retried.id(), retried.token(), Failure.of("E", "again"),
        Duration.ofMinutes(1));
    Job released = claimOne("mixed", 1, Duration.ofMinutes(1));
    broker.release("mixed", released.id(), released.token());
    claimOne("mixed", 1, Duration.ofMillis(1));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> broker.reapExpired("mixed", RetryPolicy.DEFAULT, 10) == 1);
    String cancelled = Jobs.waiting(cli, "mixed", 1).get(0);
    cli.client().cancel("mixed", cancelled);

    Cli.Result r = cli.run("monitor", "--wide", "--queue", "mixed");

    assertThat(r.out()).as(r.toString())
        .containsPattern("RETRIED +CANCELLED +STALLED +RELEASED\n")
        .containsPattern("mixed +running +1 +.* +1 +1 +1 +1\n");
  }

  /** A job enqueued and claimed at once, so that it is the one claimed. */
  private Job claimOne(String queue, int maxAttempts, Duration lease) {
    cli.client().enqueue(JobRequest.builder("test.job").queue(queue).maxAttempts(maxAttempts)
        .build());
    return cli.broker().claim(queue, "test-worker", 1, lease).get(0);
  }

  @Test
  void lateWorkersAreMarkedAndNamed() {
    Jobs.waiting(cli, "alpha", 1);
    registerWorker("w-live", "alpha");
    registerWorker("w-late", "alpha", Duration.ofSeconds(45));

    Cli.Result byDefault = cli.run("monitor");
    Cli.Result slowBeats = cli.run("monitor", "--heartbeat", "30s");
    Cli.Result fromLease = cli.env("JOBQ_LEASE", "90s").run("monitor");

    assertThat(byDefault.out()).containsPattern("w-late .* 4\\ds ago, late")
        .containsPattern("w-live .* \\ds ago +1m")
        .contains("2 workers, 2/8 busy, 1 late (no heartbeat for over 20s): w-late");
    assertThat(slowBeats.out()).doesNotContain(", late")
        .contains("0 late (no heartbeat for over 1m00s)");
    assertThat(fromLease.out()).contains("0 late (no heartbeat for over 1m00s)");
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
        "p95WaitMs", "meanWaitMs", "p50RunMs", "p95RunMs", "meanRunMs");
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
        .containsPattern("run time +mean (\\S+), p50 \\1, p95 \\S+, p99 \\S+ \\(1 samples\\)")
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
    assertThat(beta.get("waitSamples").asInt()).isEqualTo(2);
    assertThat(beta.get("meanWaitMs").asLong()).as("of two: between the shorter and the longer")
        .isBetween(beta.get("p50WaitMs").asLong(), beta.get("p99WaitMs").asLong());
    assertThat(beta.get("meanRunMs").isIntegralNumber()).isTrue();
  }

  @Test
  void workersListsTheLiveOnes() {
    Cli.Result none = cli.run("workers");
    registerWorker("w-1", "alpha");
    registerWorker("w-2", "beta");
    Cli.Result two = cli.run("workers");
    JsonNode json = cli.run("workers", "--json").json();

    assertThat(none.out()).isEqualToIgnoringNewLines("no live workers");
    assertThat(two.out()).contains("WORKER", "w-1", "w-2", "1/4")
        .containsPattern("PROCESSED +FAILED +HEARTBEAT")
        .endsWith("processed and failed are as of each worker's last heartbeat (HEARTBEAT):"
            + " they lag by up to one interval\n");
    assertThat(json.get("workers")).hasSize(2);
    assertThat(json.get("workers").get(0).get("queues").get(0).asText()).isIn("alpha", "beta");
  }

  @Test
  void workersMarksTheLateByTheWorkersInterval() {
    registerWorker("w-late", "alpha", Duration.ofSeconds(45));

    Cli.Result byDefault = cli.run("workers");
    Cli.Result slowBeats = cli.env("JOBQ_HEARTBEAT", "25s").run("workers");
    Cli.Result zero = cli.run("workers", "--heartbeat", "0");

    assertThat(byDefault.out()).containsPattern("w-late .* 1 +4\\ds ago, late +1m");
    assertThat(slowBeats.out()).containsPattern("w-late .* 1 +4\\ds ago +1m");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("the heartbeat interval (--heartbeat, else $JOBQ_HEARTBEAT,"
        + " else $JOBQ_LEASE/3) must be positive, got '0ms'");
  }

  private void registerWorker(String id, String queue) {
    registerWorker(id, queue, Duration.ZERO);
  }

  /** A heartbeat written {@code ago}, alive for a minute more. */
  private void registerWorker(String id, String queue, Duration ago) {
    Instant now = cli.broker().now();
    cli.broker().registerWorker(new WorkerInfo(id, "host-1", 42, List.of(queue), 4, 1, 7, 1,
        now.minusSeconds(60), now.minus(ago), "running"), Duration.ofMinutes(1));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
