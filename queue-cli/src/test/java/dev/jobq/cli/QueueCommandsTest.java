package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobRequest;
import dev.jobq.QueueStats;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** clear, purge, pause and resume. */
class QueueCommandsTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void clearWithoutConfirmDeletesNothingAndSaysWhatItWould() {
    fill("q");

    Cli.Result r = cli.run("clear", "--queue", "q");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("would delete 3 job(s) from queue q: 2 waiting, 1 delayed,"
        + " 0 blocked", "nothing was deleted: run again with --confirm");
    QueueStats s = cli.client().stats("q");
    assertThat(s.waitingTotal()).isEqualTo(2);
    assertThat(s.delayed()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
  }

  @Test
  void clearWithConfirmDeletesAndCounts() {
    fill("q");

    Cli.Result kept = cli.run("clear", "--queue", "q", "--confirm");

    assertThat(kept.out()).isEqualToIgnoringNewLines(
        "deleted 3 job(s) from queue q: 2 waiting, 1 delayed, 0 blocked");
    assertThat(cli.client().stats("q").waitingTotal()).isZero();
    assertThat(cli.client().stats("q").failed()).isEqualTo(1);

    JsonNode all = cli.run("clear", "--queue", "q", "--include-failed", "--confirm", "--json")
        .json();
    assertThat(all.get("dryRun").asBoolean()).isFalse();
    assertThat(all.get("failed").asLong()).isEqualTo(1);
    assertThat(all.get("total").asLong()).isEqualTo(1);
    assertThat(cli.client().stats("q").failed()).isZero();
  }

  @Test
  void clearDryRunAsJson() {
    fill("q");

    JsonNode j = cli.run("clear", "--queue", "q", "--include-failed", "--json").json();

    assertThat(j.get("queue").asText()).isEqualTo("q");
    assertThat(j.get("dryRun").asBoolean()).isTrue();
    assertThat(j.get("waiting").asLong()).isEqualTo(2);
    assertThat(j.get("delayed").asLong()).isEqualTo(1);
    assertThat(j.get("failed").asLong()).isEqualTo(1);
    assertThat(j.get("total").asLong()).isEqualTo(4);
    assertThat(cli.client().stats("q").failed()).isEqualTo(1);
  }

  @Test
  void clearOfAnUnknownQueueFails() {
    Cli.Result r = cli.run("clear", "--queue", "nope", "--confirm");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("unknown queue 'nope'; known queues: (none yet");
  }

  @Test
  void purgeWithoutConfirmDeletesNothing() {
    Jobs.completed(cli, "q", 2);

    Cli.Result r = cli.run("purge", "--older-than", "0s");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("would delete the completed, cancelled and failed jobs that"
        + " finished more than 0s ago in all queues (2 finished job(s)",
        "nothing was deleted: run again with --confirm");
    assertThat(cli.client().stats("q").completed()).isEqualTo(2);
  }

  @Test
  void purgeWithConfirmDeletesOldFinishedJobs() {
    Jobs.completed(cli, "q", 2);
    Jobs.failed(cli, "q", 1);
    Jobs.waiting(cli, "q", 1);

    Cli.Result young = cli.run("purge", "--older-than", "1h", "--queue", "q", "--confirm");
    assertThat(young.out()).isEqualToIgnoringNewLines(
        "deleted 0 finished job(s) older than 1h from queue q");

    // "now" is each client's estimate of Redis's clock: repeat until the cutoff has passed
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Cli.Result r = cli.run("purge", "--older-than", "0s", "--queue", "q", "--confirm", "--json");
      assertThat(r.json().get("dryRun").asBoolean()).isFalse();
      assertThat(cli.client().stats("q").completed()).isZero();
      assertThat(cli.client().stats("q").failed()).isZero();
    });
    assertThat(cli.client().stats("q").waitingTotal()).isEqualTo(1);
  }

  @Test
  void purgeNeedsAnAge() {
    Cli.Result none = cli.run("purge", "--confirm");
    Cli.Result bad = cli.run("purge", "--older-than", "yesterday");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--older-than");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("invalid duration 'yesterday'");
  }

  @Test
  void pauseAndResumeAQueue() {
    Jobs.waiting(cli, "q", 1);

    Cli.Result paused = cli.run("pause", "q");
    Cli.Result again = cli.run("pause", "q", "--json");
    boolean pausedNow = cli.client().stats("q").paused();
    Cli.Result resumed = cli.run("resume", "q");

    assertThat(paused.exitCode()).isZero();
    assertThat(paused.out()).startsWith("paused queue q: workers take no new jobs");
    assertThat(again.json().get("paused").asBoolean()).isTrue();
    assertThat(again.json().get("changed").asBoolean()).isFalse();
    assertThat(pausedNow).isTrue();
    assertThat(resumed.out()).isEqualToIgnoringNewLines("resumed queue q");
    assertThat(cli.client().stats("q").paused()).isFalse();
  }

  @Test
  void pausingAnUnknownQueueFails() {
    Cli.Result r = cli.run("pause", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("unknown queue 'nope'");
  }

  /** Two waiting, one delayed, one failed. */
  private void fill(String queue) {
    Jobs.failed(cli, queue, 1);
    Jobs.waiting(cli, queue, 2);
    cli.client().enqueue(JobRequest.builder("test.later").queue(queue)
        .delay(Duration.ofHours(1)).build());
  }
}
