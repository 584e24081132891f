package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** list, show, cancel and retry-failed. */
class JobCommandsTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void listShowsATableOfTheJobsOfOneStatus() {
    List<String> ids = Jobs.waiting(cli, "q", 3);

    Cli.Result r = cli.run("list", "--queue", "q");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("TYPE", "PRIORITY", "STATUS", "ATTEMPT",
        "AGE", "ERROR");
    assertThat(lines.get(1)).startsWith(ids.get(0)).contains("test.job", "normal", "waiting", "0/1");
    assertThat(lines.get(3)).startsWith(ids.get(2));
    assertThat(lines.get(5)).isEqualTo("1-3 of 3 waiting jobs in queue q");
  }

  @Test
  void listPagesAndPrintsJson() {
    List<String> ids = Jobs.waiting(cli, "q", 3);

    Cli.Result page = cli.run("list", "--queue", "q", "--limit", "2");
    Cli.Result json = cli.run("list", "--queue", "q", "--status", "waiting", "--offset", "1",
        "--json");

    assertThat(page.out()).contains("1-2 of 3 waiting jobs in queue q; next page: --offset 2");
    JsonNode j = json.json();
    assertThat(j.get("total").asLong()).isEqualTo(3);
    assertThat(j.get("offset").asLong()).isEqualTo(1);
    assertThat(j.get("jobs")).hasSize(2);
    JsonNode first = j.get("jobs").get(0);
    assertThat(first.get("id").asText()).isEqualTo(ids.get(1));
    assertThat(first.get("payload").get("n").asInt()).isEqualTo(1);
    assertThat(first.get("createdAt").asText()).endsWith("Z");
    assertThat(first.has("finishedAt")).isTrue();
  }

  @Test
  void listOfFailedJobsShowsTheirError() {
    Jobs.failed(cli, "q", 1);

    Cli.Result r = cli.run("list", "--queue", "q", "--status", "failed");

    assertThat(r.out()).contains("failed", "1/1", "boom");
  }

  @Test
  void anUnknownQueueIsAnErrorNamingTheKnownOnes() {
    Jobs.waiting(cli, "alpha", 1);
    Jobs.waiting(cli, "beta", 1);

    Cli.Result r = cli.run("list", "--queue", "gamma");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualToIgnoringNewLines(
        "jobq: unknown queue 'gamma'; known queues: alpha, beta");
  }

  @Test
  void anInvalidStatusIsAUsageError() {
    Cli.Result r = cli.run("list", "--queue", "q", "--status", "done");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown status 'done'");
  }

  @Test
  void showPrintsTheWholeJob() {
    String id = Jobs.completed(cli, "q", 1).get(0);

    Cli.Result r = cli.run("show", id);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("id         " + id, "queue      q", "status     completed",
        "attempt    1 of 1", "payload:\n  {\n    \"n\" : 0", "result:\n  {\n    \"ok\" : 0",
        "finished   ", "worker     test-worker");
  }

  @Test
  void showPrintsJson() {
    String id = Jobs.failed(cli, "q", 1).get(0);

    JsonNode j = cli.run("show", id, "--queue", "q", "--json").json();

    assertThat(j.get("id").asText()).isEqualTo(id);
    assertThat(j.get("status").asText()).isEqualTo("failed");
    assertThat(j.get("errorClass").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(j.get("error").asText()).isEqualTo("boom " + id);
    assertThat(j.get("stack").asText()).contains("IllegalStateException", "\tat ");
    assertThat(j.get("payload").get("n").asInt()).isZero();
    assertThat(j.get("result").isNull()).isTrue();
  }

  @Test
  void showOfAnUnknownIdSaysSo() {
    Jobs.waiting(cli, "q", 1);

    Cli.Result anywhere = cli.run("show", "no-such-job");
    Cli.Result inQueue = cli.run("show", "no-such-job", "--queue", "q");

    assertThat(anywhere.exitCode()).isEqualTo(1);
    assertThat(anywhere.err()).isEqualToIgnoringNewLines(
        "jobq: no job with id 'no-such-job' in any known queue");
    assertThat(inQueue.exitCode()).isEqualTo(1);
    assertThat(inQueue.err()).isEqualToIgnoringNewLines(
        "jobq: no job with id 'no-such-job' in queue 'q'");
  }

  @Test
  void cancelCancelsJobsWhereverTheyAre() {
    String a = Jobs.waiting(cli, "q1", 1).get(0);
    String b = Jobs.waiting(cli, "q2", 1).get(0);

    Cli.Result r = cli.run("cancel", a, b);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains(a + " cancelled (queue q1)", b + " cancelled (queue q2)");
    assertThat(cli.client().require("q1", a).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cli.client().require("q2", b).status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void cancellingAnUnknownIdFailsButCancelsTheOthers() {
    String done = Jobs.completed(cli, "q", 1).get(0);
    String a = Jobs.waiting(cli, "q", 1).get(0);

    Cli.Result r = cli.run("cancel", a, done, "ghost", "--queue", "q", "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode results = r.json().get("results");
    assertThat(results.get(0).get("outcome").asText()).isEqualTo("cancelled");
    assertThat(results.get(1).get("outcome").asText()).isEqualTo("already_finished");
    assertThat(results.get(2).get("outcome").asText()).isEqualTo("not_found");
    assertThat(cli.client().require("q", a).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cli.client().require("q", done).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void cancelSaysWhichIdsAreUnknown() {
    Jobs.waiting(cli, "q", 1);

    Cli.Result r = cli.run("cancel", "ghost", "--queue", "q");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualToIgnoringNewLines("jobq: no job with id 'ghost' in queue 'q'");
  }

  @Test
  void retryFailedMovesEveryFailedJobBack() {
    Jobs.failed(cli, "q", 3);

    Cli.Result r = cli.run("retry-failed", "--queue", "q", "--all");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualToIgnoringNewLines("moved 3 failed job(s) of queue q back to waiting");
    assertThat(cli.client().stats("q").waitingTotal()).isEqualTo(3);
    assertThat(cli.client().stats("q").failed()).isZero();
  }

  @Test
  void retryFailedByIdSaysWhichWereNotFailed() {
    List<String> failed = Jobs.failed(cli, "q", 2);
    String waiting = Jobs.waiting(cli, "q", 1).get(0);

    Cli.Result r = cli.run("retry-failed", "--queue", "q", "--job-id", failed.get(0),
        "--job-id", waiting, "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.json().get("moved").asLong()).isEqualTo(1);
    assertThat(r.json().get("requested").asLong()).isEqualTo(2);
    assertThat(r.err()).contains("1 of the 2 given job(s) are not in the failed list of queue 'q'");
    assertThat(cli.client().require("q", failed.get(0)).status()).isEqualTo(JobStatus.WAITING);
    assertThat(cli.client().require("q", failed.get(1)).status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void retryFailedNeedsAllOrIds() {
    Cli.Result neither = cli.run("retry-failed", "--queue", "q");
    Cli.Result both = cli.run("retry-failed", "--queue", "q", "--all", "--job-id", "x");

    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("--all", "--job-id");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }
}
