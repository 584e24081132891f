package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.EnqueueMiddleware;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnqueueCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void enqueuesOneJobAndSaysWhereItIs() {
    Cli.Result r = cli.run("enqueue", "jobq.echo", "--payload", "{\"to\":\"ada\"}");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).matches("\\S+ enqueued to default: waiting, position 0 \\(next\\),"
        + " estimated wait unknown \\(no recent throughput\\)\\R");
    String id = r.out().substring(0, r.out().indexOf(' '));
    Job job = cli.client().require("default", id);
    assertThat(job.type()).isEqualTo("jobq.echo");
    assertThat(job.payloadTree().get("to").asText()).isEqualTo("ada");
  }

  @Test
  void everyFlagLandsOnTheJob() {
    Cli.Result r = cli.run("enqueue", "report.build", "--queue", "reports", "--priority", "high",
        "--delay", "1h", "--max-attempts", "7", "--backoff", "exponential:5s:3;jitter=0.2",
        "--timeout", "30s", "--id", "report-42", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("id").asText()).isEqualTo("report-42");
    assertThat(json.get("queue").asText()).isEqualTo("reports");
    assertThat(json.get("created").asBoolean()).isTrue();
    assertThat(json.get("status").asText()).isEqualTo("delayed");
    assertThat(json.get("estimatedWaitMs").asLong()).isBetween(3_500_000L, 3_600_000L);
    Job job = cli.client().require("reports", "report-42");
    assertThat(job.priority()).isEqualTo(Priority.HIGH);
    assertThat(job.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(job.maxAttempts()).isEqualTo(7);
    assertThat(job.backoff()).isEqualTo(Backoff.parse("exponential:5s:3;jitter=0.2"));
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aJobThatDependsOnAnotherIsBlockedUntilItCompletesAndShowSaysOnWhat() {
    cli.run("enqueue", "extract", "--id", "extract-1");

    Cli.Result r = cli.run("enqueue", "load", "--id", "load-1", "--depends-on", "extract-1",
        "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.json().get("status").asText()).isEqualTo("blocked");
    assertThat(cli.run("show", "load-1", "--json").json().get("dependsOn").toString())
        .isEqualTo("[\"extract-1\"]");
    assertThat(cli.run("show", "load-1").out()).contains("depends on", "extract-1");

    Cli.Result unknown = cli.run("enqueue", "load", "--depends-on", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("depends on nope, which is neither in queue 'default'");
  }

  @Test
  void theSameIdTwiceMakesOneJob() {
    cli.run("enqueue", "jobq.noop", "--id", "once");
    Cli.Result again = cli.run("enqueue", "jobq.noop", "--id", "once");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("once already exists in queue default (waiting)",
        "nothing was enqueued");
    assertThat(cli.client().stats("default").waitingTotal()).isEqualTo(1);
  }

  @Test
  void theIdOfAFinishedJobRunsAgainOnlyWithReplaceFinished() {
    cli.run("enqueue", "jobq.noop", "--id", "once");
    cli.client().cancel("default", "once");

    Cli.Result resend = cli.run("enqueue", "jobq.noop", "--id", "once");
    Cli.Result replace = cli.run("enqueue", "jobq.noop", "--id", "once", "--replace-finished",
        "--json");
    cli.client().cancel("default", "once");
    Cli.Result line = cli.runWithStdin(
        "{\"type\":\"jobq.noop\",\"id\":\"once\",\"replaceFinished\":true}\n",
        "enqueue", "--stdin", "--json");

    assertThat(resend.out()).contains("once already exists in queue default (cancelled)",
        "nothing was enqueued");
    assertThat(replace.json().get("created").asBoolean()).as(replace.toString()).isTrue();
    assertThat(line.exitCode()).as(line.toString()).isZero();
    assertThat(cli.client().require("default", "once").status()).isEqualTo(JobStatus.WAITING);
    assertThat(cli.client().stats("default").totalEnqueued()).isEqualTo(3);
  }

  @Test
  void theSameUniquenessKeyWithinItsWindowMakesOneJob() {
    Cli.Result first = cli.run("enqueue", "invoice.send", "--unique", "invoice:42", "--quiet");
    Cli.Result again = cli.run("enqueue", "invoice.send", "--unique", "invoice:42",
        "--unique-for", "10m", "--json");
    Cli.Result batch = cli.runWithStdin("{\"type\":\"a\"}\n", "enqueue", "--stdin",
        "--unique", "k");

    String id = first.out().strip();
    assertThat(again.json().get("id").asText()).isEqualTo(id);
    assertThat(again.json().get("created").asBoolean()).isFalse();
    assertThat(batch.exitCode()).isEqualTo(2);
    assertThat(batch.err()).contains("--unique cannot apply to a batch");
    assertThat(cli.client().stats("default").waitingTotal()).isEqualTo(1);
  }

  @Test
  void anEscalatingJobIsHandedOverWhenItsLastAttemptFailsAndShowSaysWhere() {
    String id = cli.run("enqueue", "sync.crm", "--max-attempts", "1", "--escalate-queue", "oncall",
        "--escalate-type", "page.human", "--quiet").out().strip();
    dev.jobq.Job j = cli.broker().claim("default", "w", 1, java.time.Duration.ofMinutes(1)).get(0);
    cli.broker().fail("default", id, j.token(), dev.jobq.spi.Failure.of("E", "down"), null);

    Cli.Result show = cli.run("show", id);
    String takeover = id + "/escalated-" + j.createdAt().toEpochMilli();
    assertThat(show.out()).contains("status     cancelled", "escalated  to oncall/" + takeover);
    assertThat(cli.client().require("oncall", takeover).type()).isEqualTo("page.human");
  }

  @Test
  void everyJobPassesThroughTheEnqueueMiddlewareOfTheHandlerPath(@TempDir Path dir)
      throws IOException {
    ServiceJar.write(dir.resolve("middleware.jar"), EnqueueMiddleware.class, TestMiddleware.class);

    Cli.Result r = cli.run("enqueue", "jobq.echo", "--handler-path", dir.toString(), "--quiet");
    Cli.Result plain = cli.run("enqueue", "jobq.echo", "--quiet");
    Cli.Result refused = cli.env("JOBQ_HANDLER_PATH", dir.toString())
        .run("enqueue", "forbidden.thing");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(cli.client().require("default", r.out().strip()).headers())
        .containsEntry("tenant", "acme");
    assertThat(cli.client().require("default", plain.out().strip()).headers()).isEmpty();
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("type forbidden.thing may not be enqueued here");
    assertThat(cli.client().stats("default").waitingTotal()).isEqualTo(2);
  }

  @Test
  void quietPrintsOnlyTheId() {
    Cli.Result r = cli.run("enqueue", "jobq.noop", "--quiet", "--id", "q-1");

    assertThat(r.out()).isEqualTo("q-1" + System.lineSeparator());
  }

  @Test
  void readsThePayloadFromAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("payload.json");
    Files.writeString(file, "{\"rows\":[1,2,3]}");

    Cli.Result r = cli.run("enqueue", "jobq.echo", "--payload", "@" + file, "--id", "from-file");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(cli.client().require("default", "from-file").payloadTree().get("rows").size())
        .isEqualTo(3);
  }

  @Test
  void anInvalidPriorityIsAUsageErrorAndWritesNothing() {
    Cli.Result r = cli.run("enqueue", "jobq.noop", "--priority", "urgent");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown priority 'urgent'", "critical, high, normal, low");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void anInvalidDurationIsAUsageErrorNamingIt() {
    Cli.Result r = cli.run("enqueue", "jobq.noop", "--delay", "5 parsecs");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("invalid duration '5 parsecs'");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void invalidInputIsAUsageErrorAndWritesNothing() {
    Cli.Result badJson = cli.run("enqueue", "jobq.noop", "--payload", "{oops");
    Cli.Result badQueue = cli.run("enqueue", "jobq.noop", "--queue", "no spaces");
    Cli.Result badTime = cli.run("enqueue", "jobq.noop", "--run-at", "tomorrow");
    Cli.Result noType = cli.run("enqueue");

    assertThat(badJson.exitCode()).isEqualTo(2);
    assertThat(badJson.err()).startsWith("jobq: payload is not valid JSON");
    assertThat(badQueue.exitCode()).isEqualTo(2);
    assertThat(badQueue.err()).contains("invalid queue name 'no spaces'");
    assertThat(badTime.exitCode()).isEqualTo(2);
    assertThat(badTime.err()).contains("invalid time 'tomorrow'");
    assertThat(noType.exitCode()).isEqualTo(2);
    assertThat(noType.err()).contains("missing the job TYPE");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void enqueuesJsonLinesFromStdinWithTheFlagsAsDefaults() {
    String lines = """
        {"type":"jobq.echo","payload":{"n":1}}

        {"type":"jobq.noop","queue":"emails","priority":"low","id":"line-3"}
        {"type":"jobq.echo","delay":"10m","maxAttempts":2,"backoff":"fixed:1s","timeout":"5s"}
        """;

    Cli.Result r = cli.runWithStdin(lines, "enqueue", "--stdin", "--queue", "bulk", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("enqueued").asInt()).isEqualTo(3);
    assertThat(json.get("existing").asInt()).isZero();
    assertThat(json.get("jobs")).hasSize(3);
    assertThat(json.get("jobs").get(0).get("queue").asText()).isEqualTo("bulk");
    assertThat(json.get("jobs").get(2).get("status").asText()).isEqualTo("delayed");
    assertThat(cli.client().require("emails", "line-3").priority()).isEqualTo(Priority.LOW);
    Job third = cli.client().require("bulk", json.get("jobs").get(2).get("id").asText());
    assertThat(third.maxAttempts()).isEqualTo(2);
    assertThat(third.timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aDashAsTypeReadsStdinToo() {
    Cli.Result r = cli.runWithStdin("{\"type\":\"jobq.noop\"}\n{\"type\":\"jobq.noop\"}\n",
        "enqueue", "-");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualToIgnoringNewLines("enqueued 2 job(s) (default 2)");
  }

  @Test
  void oneBadLineRefusesTheWholeBatchNamingItsNumber() {
    String lines = """
        {"type":"jobq.noop"}
        {"type":"jobq.noop","priority":"urgent"}
        {"type":"jobq.noop"}
        """;

    Cli.Result r = cli.runWithStdin(lines, "enqueue", "--stdin");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualToIgnoringNewLines("jobq: stdin line 2: unknown priority 'urgent':"
        + " use one of critical, high, normal, low; nothing was enqueued");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void unknownFieldsAndBrokenLinesAreRefused() {
    Cli.Result typo = cli.runWithStdin("{\"type\":\"a\",\"paylaod\":1}\n", "enqueue", "--stdin");
    Cli.Result broken = cli.runWithStdin("{\"type\":\"a\"}\n{\"type\":\n", "enqueue", "--stdin");
    Cli.Result noType = cli.runWithStdin("{\"payload\":1}\n", "enqueue", "--stdin");

    assertThat(typo.err()).contains("stdin line 1: unknown field 'paylaod'");
    assertThat(broken.err()).contains("stdin line 2: not valid JSON");
    assertThat(noType.err()).contains("stdin line 1: no \"type\"");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void stdinLinesTakeEveryOptionOfAJob() {
    String lines = """
        {"type":"extract","id":"extract-1"}
        {"type":"sync.crm","id":"sync-1","dependsOn":["extract-1"],"runIfParentsFail":true,\
        "headers":{"tenant":"acme"},"escalation":{"type":"page.human","queue":"oncall"}}
        {"type":"invoice.send","unique":"invoice:42","uniqueFor":"1d"}
        {"type":"invoice.send","unique":"invoice:42"}
        """;

    Cli.Result r = cli.runWithStdin(lines, "enqueue", "--stdin", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode jobs = r.json().get("jobs");
    assertThat(r.json().get("enqueued").asLong()).isEqualTo(3);
    assertThat(jobs.get(1).get("status").asText()).isEqualTo("blocked");
    assertThat(jobs.get(3).get("created").asBoolean()).isFalse();
    assertThat(jobs.get(3).get("id").asText()).isEqualTo(jobs.get(2).get("id").asText());
    Job sync = cli.client().require("default", "sync-1");
    assertThat(sync.dependsOn()).containsExactly("extract-1");
    assertThat(sync.headers()).containsEntry("tenant", "acme");
  }

  @Test
  void stdinLinesWithDependenciesGoInAsOneGraphParentsFirst() {
    String lines = """
        {"type":"etl.report","id":"report","dependsOn":["clean"]}
        {"type":"etl.clean","id":"clean","dependsOn":["extract"]}
        {"type":"etl.extract","id":"extract"}
        """;

    Cli.Result r = cli.runWithStdin(lines, "enqueue", "--stdin", "--quiet");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines()).containsExactly("report", "clean", "extract");
    assertThat(cli.client().require("default", "report").status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(cli.client().require("default", "extract").status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void aCycleOnStdinIsAUsageErrorNamingItsJobsAndNothingIsEnqueued() {
    String lines = """
        {"type":"a","id":"a","dependsOn":["b"]}
        {"type":"b","id":"b","dependsOn":["a"]}
        {"type":"free","id":"free"}
        """;

    Cli.Result r = cli.runWithStdin(lines, "enqueue", "--stdin");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("the dependencies form a cycle: a -> b -> a")
        .contains("nothing was enqueued");
    assertThat(cli.client().queues()).isEmpty();
  }

  @Test
  void aBadOptionOnStdinNamesItsLineAndField() {
    Cli.Result deps = cli.runWithStdin("{\"type\":\"a\",\"dependsOn\":\"x\"}\n",
        "enqueue", "--stdin");
    Cli.Result headers = cli.runWithStdin("{\"type\":\"a\"}\n{\"type\":\"a\",\"headers\":{\"n\":1}}\n",
        "enqueue", "--stdin");
    Cli.Result escalation = cli.runWithStdin("{\"type\":\"a\",\"escalation\":{}}\n",
        "enqueue", "--stdin");

    assertThat(deps.exitCode()).isEqualTo(2);
    assertThat(deps.err()).contains("stdin line 1: \"dependsOn\" must be an array of job ids");
    assertThat(headers.err()).contains("stdin line 2: \"headers\": header 'n' must have a string"
        + " value");
    assertThat(escalation.err()).contains("stdin line 1: \"escalation\" {}: an escalation needs");
    assertThat(cli.client().queues()).isEmpty();
  }
}
