package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobRequest;
import dev.jobq.Limit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void setListAndRemoveLimits() {
    Cli.Result type = cli.run("limits", "set", "--queue", "deploys", "--type", "deploy",
        "--running", "2");
    Cli.Result queue = cli.run("limits", "set", "--queue", "deploys", "--rate", "100/m");

    assertThat(type.exitCode()).as(type.toString()).isZero();
    assertThat(type.out()).contains("queue deploys, type deploy: at most 2 running");
    assertThat(queue.out()).contains("queue deploys: at most 100 started per 1m");
    assertThat(cli.client().limits("deploys")).containsExactly(
        Limit.rate(null, 100, Duration.ofMinutes(1)), Limit.running("deploy", 2));
    assertThat(cli.run("limits").out()).containsPattern("deploys +\\(all\\) +at most 100 started per 1m")
        .containsPattern("deploys +deploy +at most 2 running");
    assertThat(cli.run("limits", "--json").json().get("limits").get(1).get("maxRunning").asInt())
        .isEqualTo(2);

    Cli.Result removed = cli.run("limits", "remove", "--queue", "deploys", "--type", "deploy");
    Cli.Result again = cli.run("limits", "remove", "--queue", "deploys", "--type", "deploy");
    assertThat(removed.out()).contains("limit removed");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("has no limit for type 'deploy'");
  }

  @Test
  void badLimitsAreUsageErrors() {
    Cli.Result none = cli.run("limits", "set", "--queue", "q");
    Cli.Result rate = cli.run("limits", "set", "--queue", "q", "--rate", "fast");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("needs a maximum");
    assertThat(rate.exitCode()).isEqualTo(2);
    assertThat(rate.err()).contains("--rate 'fast' must be N/DURATION");
  }

  @Test
  void theMonitorShowsAQueueHeldBackByALimit() {
    cli.client().setLimit("q", Limit.running("deploy", 1));
    cli.client().enqueue(JobRequest.builder("deploy").queue("q").build());
    cli.client().enqueue(JobRequest.builder("deploy").queue("q").build());
    cli.broker().claim("q", "w", 5, Duration.ofMinutes(1));

    Cli.Result r = cli.run("monitor");
    assertThat(r.out()).containsPattern("q +limited +1")
        .contains("q is held back by its limits: type deploy: at most 1 running");
  }
}
