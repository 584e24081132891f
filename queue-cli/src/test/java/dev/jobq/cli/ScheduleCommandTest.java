package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScheduleCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void addListAndRemoveRecurringJobs() {
    Cli.Result cron = cli.run("schedule", "add", "nightly", "report.build", "--cron", "0 3 * * *",
        "--zone", "Europe/Paris", "--queue", "reports", "--payload", "{\"scope\":\"all\"}");
    Cli.Result every = cli.run("schedule", "add", "refresh", "cache.refresh", "--every", "5m");

    assertThat(cron.exitCode()).as(cron.toString()).isZero();
    assertThat(cron.out()).startsWith("schedule nightly in queue reports: 0 3 * * * Europe/Paris, next ")
        .containsPattern("T0[12]:00:00Z"); // 03:00 in Paris: 02:00Z in winter, 01:00Z in summer
    assertThat(every.out()).contains("schedule refresh in queue default: every 5m");

    Cli.Result list = cli.run("schedule");
    assertThat(list.out().lines().toList().get(0)).startsWith("NAME").contains("QUEUE", "TYPE",
        "WHEN", "NEXT");
    assertThat(list.out()).containsPattern("nightly +reports +report.build +0 3 \\* \\* \\* Europe/Paris")
        .containsPattern("refresh +default +cache.refresh +every 5m +\\S+ \\(in [45]m");
    JsonNode json = cli.run("schedule", "--json").json().get("schedules");
    assertThat(json).hasSize(2);
    JsonNode nightly = json.get(0).get("name").asText().equals("nightly") ? json.get(0) : json.get(1);
    assertThat(nightly.get("cron").asText()).isEqualTo("0 3 * * *");
    assertThat(nightly.get("payload").get("scope").asText()).isEqualTo("all");

    Cli.Result removed = cli.run("schedule", "remove", "nightly", "--queue", "reports");
    Cli.Result again = cli.run("schedule", "remove", "nightly", "--queue", "reports");
    assertThat(removed.out()).contains("schedule nightly removed from queue reports");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("no schedule 'nightly' in queue 'reports'");
    assertThat(cli.client().schedules()).hasSize(1);
  }

  @Test
  void theListingShowsEachScheduleLastFiring() {
    cli.run("schedule", "add", "refresh", "cache.refresh", "--every", "5m");
    cli.run("schedule", "add", "nightly", "report.build", "--cron", "0 3 * * *");
    String id = cli.client().triggerSchedule("default", "refresh").orElseThrow().jobId();

    Cli.Result list = cli.run("schedule");

    assertThat(list.out().lines().toList().get(0)).contains("NEXT", "LAST");
    assertThat(list.out()).containsPattern("refresh .* \\(in [45]m\\) +" + id
        + " \\(\\d+s ago, triggered\\)");
    assertThat(list.out().lines().filter(l -> l.startsWith("nightly")).findFirst().orElseThrow())
        .as("never fired").doesNotContain("nightly@");
    JsonNode json = cli.run("schedule", "--json").json().get("schedules");
    JsonNode refresh =
        json.get(0).get("name").asText().equals("refresh") ? json.get(0) : json.get(1);
    JsonNode nightly = refresh == json.get(0) ? json.get(1) : json.get(0);
    assertThat(refresh.get("lastTick").get("jobId").asText()).isEqualTo(id);
    assertThat(refresh.get("lastTick").get("triggered").asBoolean()).isTrue();
    assertThat(refresh.get("lastTick").get("created").asBoolean()).isTrue();
    assertThat(nightly.get("lastTick").isNull()).isTrue();
  }

  @Test
  void badSchedulesAreUsageErrorsAndAddNothing() {
    Cli.Result cron = cli.run("schedule", "add", "x", "t", "--cron", "0 25 * * *");
    Cli.Result zone = cli.run("schedule", "add", "x", "t", "--cron", "0 3 * * *", "--zone", "Mars/Base");
    Cli.Result neither = cli.run("schedule", "add", "x", "t");
    Cli.Result payload = cli.run("schedule", "add", "x", "t", "--every", "1m", "--payload", "{oops");

    assertThat(cron.exitCode()).isEqualTo(2);
    assertThat(cron.err()).contains("the hour field '25' is not valid");
    assertThat(zone.exitCode()).isEqualTo(2);
    assertThat(zone.err()).contains("unknown time zone 'Mars/Base'");
    assertThat(neither.err()).contains("needs a cron expression or an interval");
    assertThat(payload.exitCode()).isEqualTo(2);
    assertThat(cli.client().schedules()).isEmpty();
  }
}
