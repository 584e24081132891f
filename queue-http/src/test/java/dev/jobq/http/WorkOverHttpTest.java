package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Workers over HTTP: claim under a lease, then report with the token, against a real Redis. */
class WorkOverHttpTest extends ApiTestBase {


  @Test
  void claimsAJobAndCompletesItWithItsToken() throws Exception {
    client.enqueue(JobRequest.builder("email.send").queue("mail").id("j1")
        .payload("{\"to\":\"a@b.c\"}").build());

    HttpResponse<String> r = post("/queues/mail/claim",
        "{\"worker\":\"agent-1\",\"max\":5,\"lease\":\"1m\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode jobs = Json.tree(r.body()).get("jobs");
    assertThat(jobs).hasSize(1);
    JsonNode job = jobs.get(0);
    assertThat(job.get("id").asText()).isEqualTo("j1");
    assertThat(job.get("type").asText()).isEqualTo("email.send");
    assertThat(job.get("payload").get("to").asText()).isEqualTo("a@b.c");
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    assertThat(Instant.parse(job.get("leaseDeadline").asText())).isAfter(Instant.now());
    long token = job.get("token").asLong();

    HttpResponse<String> done = post("/queues/mail/jobs/j1/complete",
        "{\"token\":" + token + ",\"result\":{\"sent\":true}}");

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(Json.tree(done.body()).get("status").asText()).isEqualTo("completed");
    Job stored = broker.get("mail", "j1").orElseThrow();
    assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(Json.tree(stored.result()).get("sent").asBoolean()).isTrue();
    assertThat(Json.tree(post("/queues/mail/claim", "{\"worker\":\"agent-1\"}").body())
        .get("jobs")).isEmpty();
  }

  @Test
  void aClaimThatWaitsGetsAJobEnqueuedDuringTheWait() throws Exception {
    CompletableFuture<HttpResponse<String>> claim = HTTP.sendAsync(
        request("/queues/mail/claim", "{\"worker\":\"agent-1\",\"wait\":\"20s\"}"),
        HttpResponse.BodyHandlers.ofString());
    // the claim is parked in awaitWork's BLPOP once Redis counts a blocked client
    await().atMost(Duration.ofSeconds(10)).until(this::blockedClients, n -> n > 0);

    client.enqueue(JobRequest.builder("a").queue("mail").id("late").build());

    HttpResponse<String> r = claim.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("jobs")).extracting(j -> j.get("id").asText())
        .containsExactly("late");
  }

  @Test
  void anOldTokenIsRefusedOnceTheJobWasClaimedAgain() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").build());
    long first = claimOne("mail");
    assertThat(post("/queues/mail/jobs/j1/release", "{\"token\":" + first + "}").statusCode())
        .isEqualTo(200);
    long second = claimOne("mail");

    HttpResponse<String> stale = post("/queues/mail/jobs/j1/complete", "{\"token\":" + first + "}");

    assertProblem(stale, 409, "no longer the caller's");
    assertProblem(post("/queues/mail/jobs/j1/heartbeat",
        "{\"worker\":\"w\",\"token\":" + first + "}"), 409, "no longer holds");
    assertThat(post("/queues/mail/jobs/j1/complete", "{\"token\":" + second + "}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aLeaseThatExpiredIsLost() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").maxAttempts(1).build());
    HttpResponse<String> r = post("/queues/mail/claim", "{\"worker\":\"w\",\"lease\":\"1s\"}");
    long token = Json.tree(r.body()).get("jobs").get(0).get("token").asLong();

    // the agent "vanishes": its lease runs out and the reaper takes the job back
    await().atMost(Duration.ofSeconds(10))
        .until(() -> broker.reapExpired("mail", RetryPolicy.DEFAULT, 10), n -> n == 1);

    assertProblem(post("/queues/mail/jobs/j1/heartbeat",
        "{\"worker\":\"w\",\"token\":" + token + "}"), 409, "lease expired");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":" + token + "}"), 409,
        "now failed");
  }

  @Test
  void aJobCancelledWhileActiveAnswers410() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").build());
    long token = claimOne("mail");
    HttpResponse<String> held = post("/queues/mail/jobs/j1/heartbeat",
        "{\"worker\":\"agent-1\",\"token\":" + token + ",\"lease\":\"2m\"}");
    assertThat(Json.tree(held.body()).get("lease").asText()).isEqualTo("held");

    client.cancel("mail", "j1");

    assertProblem(post("/queues/mail/jobs/j1/heartbeat",
        "{\"worker\":\"agent-1\",\"token\":" + token + "}"), 410, "cancelled");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":" + token + "}"), 410,
        "cancelled");
  }

  @Test
  void failWithRetryInSchedulesTheNextAttempt() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").maxAttempts(3).build());
    long token = claimOne("mail");
    assertThat(post("/queues/mail/jobs/j1/progress",
        "{\"token\":" + token + ",\"done\":1,\"total\":4,\"message\":\"one\"}").statusCode())
        .isEqualTo(200);

    HttpResponse<String> r = post("/queues/mail/jobs/j1/fail", "{\"token\":" + token
        + ",\"error\":{\"class\":\"TimeoutError\",\"message\":\"too slow\"},\"retryIn\":\"1h\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("outcome").asText()).isEqualTo("retry_scheduled");
    Job job = broker.get("mail", "j1").orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.errorClass()).isEqualTo("TimeoutError");
    assertThat(job.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
  }

  @Test
  void failWithoutRetryInUsesTheJobsOwnBackoff() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofHours(2))).build());
    long token = claimOne("mail");

    post("/queues/mail/jobs/j1/fail",
        "{\"token\":" + token + ",\"error\":{\"class\":\"E\",\"message\":\"m\"}}");

    Job job = broker.get("mail", "j1").orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(job.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(110)));
  }

  @Test
  void failWithRetryInNullDeadLetters() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").maxAttempts(3).build());
    long token = claimOne("mail");

    HttpResponse<String> r = post("/queues/mail/jobs/j1/fail", "{\"token\":" + token
        + ",\"error\":{\"class\":\"Bad\",\"message\":\"no\",\"stack\":\"at x\"},\"retryIn\":null}");

    assertThat(Json.tree(r.body()).get("outcome").asText()).isEqualTo("dead_lettered");
    assertThat(broker.get("mail", "j1").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void badFieldsAnswer400AndWriteNothing() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").build());
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":-1}"), 400, "\"token\"");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":\"12\"}"), 400, "\"token\"");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":1.5}"), 400, "\"token\"");
    assertProblem(post("/queues/mail/jobs/j1/release", "{}"), 400, "\"token\"");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":1,\"colour\":1}"), 400,
        "unknown field 'colour'");
    assertProblem(post("/queues/mail/jobs/j1/complete", "{\"token\":"), 400, "not valid JSON");
    assertProblem(post("/queues/mail/jobs/bad%20id/complete", "{\"token\":1}"), 400, "job id");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"\"}"), 400, "\"worker\"");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"" + "w".repeat(201) + "\"}"), 400,
        "\"worker\"");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"max\":101}"), 400, "\"max\"");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"lease\":\"2h\"}"), 400,
        "\"lease\"");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"wait\":\"31s\"}"), 400,
        "\"wait\"");
    assertProblem(post("/queues/mail/jobs/j1/heartbeat", "{\"token\":1}"), 400, "\"worker\"");
    assertProblem(post("/queues/mail/jobs/j1/progress", "{\"token\":1,\"done\":1}"), 400,
        "\"total\"");
    assertProblem(post("/queues/mail/jobs/j1/fail", "{\"token\":1,\"error\":{\"message\":\"m\"}}"),
        400, "\"class\"");
    assertProblem(post("/queues/mail/jobs/j1/fail",
        "{\"token\":1,\"error\":{\"class\":\"E\",\"message\":\"m\"},\"retryIn\":\"soon\"}"), 400,
        "\"retryIn\"");

    assertThat(keys()).isEqualTo(before);
  }

  @Test
  void aClaimWithTypesTakesOnlyThoseAndLeavesTheOthersInOrder() throws Exception {
    for (String[] job : new String[][] {{"o1", "other"}, {"p1", "pdf.render"}, {"o2", "other"},
        {"p2", "pdf.render"}}) {
      client.enqueue(JobRequest.builder(job[1]).queue("mail").id(job[0]).build());
    }

    HttpResponse<String> r = post("/queues/mail/claim",
        "{\"worker\":\"py-agent\",\"types\":[\"pdf.render\",\"never.enqueued\"],\"max\":10}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("jobs")).extracting(j -> j.get("id").asText())
        .containsExactly("p1", "p2");
    assertThat(Json.tree(post("/queues/mail/claim", "{\"worker\":\"w\",\"max\":10}").body())
        .get("jobs")).extracting(j -> j.get("id").asText()).containsExactly("o1", "o2");
  }

  @Test
  void badTypesAnswer400NamingTheValueAndClaimNothing() throws Exception {
    client.enqueue(JobRequest.builder("a").queue("mail").id("j1").build());
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"types\":\"a\"}"), 400,
        "\"types\" is \"a\": give an array of job types");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"types\":[\"a\",\"b c\"]}"),
        400, "\"types\"[1]: invalid job type 'b c'");
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"types\":[\"a\",7]}"), 400,
        "\"types\"[1] is 7: give a job type as a string");
    String many = "\"t\",".repeat(ClaimTypes.MAX_TYPES) + "\"t\"";
    assertProblem(post("/queues/mail/claim", "{\"worker\":\"w\",\"types\":[" + many + "]}"),
        400, "\"types\" has 51 entries: give at most 50");

    assertThat(keys()).isEqualTo(before);
  }

  private long claimOne(String queue) throws Exception {
    HttpResponse<String> r = post("/queues/" + queue + "/claim", "{\"worker\":\"agent-1\"}");
    JsonNode jobs = Json.tree(r.body()).get("jobs");
    assertThat(jobs).as(r.body()).hasSize(1);
    return jobs.get(0).get("token").asLong();
  }

  private long blockedClients() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      for (String line : jedis.info("clients").split("\r?\n")) {
        if (line.startsWith("blocked_clients:")) {
          return Long.parseLong(line.substring("blocked_clients:".length()).trim());
        }
      }
    }
    return 0;
  }
}
