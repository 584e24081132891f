package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import dev.jobq.spi.Failure;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard asks of the API beyond the operators' routes: search, delete, run now, dead
 * letters grouped and retried by group, and a schedule triggered now.
 */
class DashboardActionsOverHttpTest extends OperatorTestBase {

  @Test
  void searchFindsAFailedJobByItsErrorText() throws Exception {
    failedWith("mail", "j1", "SmtpException", "connection refused by mx.example\nat line 2");
    enqueue("mail", "j2");

    HttpResponse<String> r = get("/queues/mail/search?q=REFUSED&in=error");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly("j1");
    assertThat(body.get("scanned").asLong()).isEqualTo(2);
    assertThat(body.get("complete").asBoolean()).isTrue();
    assertThat(body.get("nextCursor").isNull()).isTrue();
    assertThat(Json.tree(get("/queues/mail/search?q=j&status=waiting").body()).get("jobs"))
        .extracting(j -> j.get("id").asText()).containsExactly("j2");
  }

  @Test
  void searchGoesOnFromItsCursorUntilComplete() throws Exception {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      jobs.add(JobRequest.builder("a").queue("big").id("job-" + i).build());
    }
    for (int from = 0; from < jobs.size(); from += 1000) {
      client.enqueueAll(jobs.subList(from, from + 1000));
    }

    Set<String> seen = new HashSet<>();
    String path = "/queues/big/search?q=job-&limit=1000";
    JsonNode body = Json.tree(get(path).body());
    assertThat(body.get("complete").asBoolean()).as("12,000 jobs are more than one scan").isFalse();
    int searches = 1;
    body.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
    while (!body.get("complete").asBoolean() && searches < 100) {
      body = Json.tree(get(path + "&cursor=" + body.get("nextCursor").asText()).body());
      body.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
      searches++;
    }
    assertThat(seen).hasSize(12_000);
  }

  @Test
  void searchRefusesAMissingTextAnUnknownFieldAndABadCursor() throws Exception {
    enqueue("mail", "j1");

    assertProblem(get("/queues/mail/search"), 400, "\"q\" is missing");
    assertProblem(get("/queues/mail/search?q=x&in=payload"), 400, "\"in\" is 'payload'");
    assertProblem(get("/queues/mail/search?q=x&cursor=bm90LWEtY3Vyc29y"), 400, "\"cursor\"");
    assertProblem(get("/queues/nope/search?q=x"), 404, "no queue 'nope'");
  }

  @Test
  void deletesAFinishedJobAndRefusesAnActiveOne() throws Exception {
    failed("mail", "dead");
    enqueue("mail", "running");
    broker.claim("mail", "w", 1, Duration.ofMinutes(1));

    HttpResponse<String> r = delete("/jobs/dead");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("deleted").asBoolean()).isTrue();
    assertThat(client.get("mail", "dead")).isEmpty();

    Map<String, String> before = keys();
    assertProblem(delete("/jobs/running"), 409, "cancel it first");
    assertThat(keys()).isEqualTo(before);
    assertProblem(delete("/jobs/dead"), 404, "no job 'dead'");
  }

  @Test
  void runsADelayedJobNowAndRefusesAWaitingOne() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("later")
        .delay(Duration.ofHours(1)).build());
    enqueue("mail", "waiting");

    HttpResponse<String> r = post("/jobs/later/run-now", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(client.get("mail", "later").orElseThrow().status()).isEqualTo(JobStatus.WAITING);
    assertProblem(post("/jobs/waiting/run-now", ""), 409, "is waiting, not delayed");
  }

  @Test
  void groupsDeadLettersByErrorAndRetriesOneGroup() throws Exception {
    failedWith("mail", "a1", "Timeout", "upstream took 30s\nstack");
    failedWith("mail", "a2", "Timeout", "upstream took 30s");
    failedWith("mail", "b1", "Refused", "no route");

    JsonNode body = Json.tree(get("/queues/mail/dead-letters/groups").body());
    JsonNode groups = body.get("groups");
    assertThat(groups).extracting(g -> g.get("errorClass").asText() + "|"
        + g.get("message").asText() + "|" + g.get("count").asInt())
        .containsExactly("Timeout|upstream took 30s|2", "Refused|no route|1");
    assertThat(groups.get(0).get("sampleIds")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("a1", "a2");
    assertThat(body.get("complete").asBoolean()).isTrue();

    String group = groups.get(0).get("group").asText();
    HttpResponse<String> r = post("/queues/mail/dead-letters/retry",
        "{\"group\":\"" + group + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("retried").asLong()).isEqualTo(2);
    assertThat(client.get("mail", "a1").orElseThrow().status()).isEqualTo(JobStatus.WAITING);
    assertThat(client.get("mail", "b1").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    assertProblem(post("/queues/mail/dead-letters/retry", "{\"group\":\"" + group + "\"}"),
        404, "no group");
  }

  @Test
  void triggersAScheduleNow() throws Exception {
    put("/queues/reports/schedules/nightly", "{\"type\":\"report.build\",\"cron\":\"0 3 * * *\"}");

    HttpResponse<String> r = post("/queues/reports/schedules/nightly/trigger", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = Json.tree(r.body()).get("id").asText();
    assertThat(id).startsWith("nightly@");
    Job job = client.get("reports", id).orElseThrow();
    assertThat(job.type()).isEqualTo("report.build");
    assertThat(job.status()).isEqualTo(JobStatus.WAITING);
    JsonNode last = Json.tree(get("/schedules").body()).get("schedules").get(0).get("lastTick");
    assertThat(last.get("jobId").asText()).isEqualTo(id);
    assertThat(last.get("created").asBoolean()).isTrue();
    assertThat(last.get("triggered").asBoolean()).isTrue();
    // recorded at the instant the job is named after, on Redis as in memory
    assertThat(Instant.parse(last.get("at").asText()))
        .isEqualTo(Instant.ofEpochMilli(Long.parseLong(id.substring("nightly@".length()))));
    assertProblem(post("/queues/reports/schedules/daily/trigger", ""), 404, "no schedule 'daily'");
  }

  /** A job of its own, claimed and failed for good with this error. */
  private void failedWith(String queue, String id, String errorClass, String message) {
    enqueue(queue, id);
    List<Job> claimed = broker.claim(queue, "w", 1, Duration.ofMinutes(1));
    assertThat(claimed).extracting(Job::id).containsExactly(id);
    broker.fail(queue, id, claimed.get(0).token(), new Failure(errorClass, message, ""), null);
  }
}
