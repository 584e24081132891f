package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiTest extends ApiTestBase {
  private static final int MAX_PAYLOAD = 1024;

  @Override
  int maxPayloadBytes() {
    return MAX_PAYLOAD;
  }

  @Override
  String basePath() {
    return "/jobq";
  }

  @Test
  void aStartOnATakenPortFailsAndLeavesTheApiFreeToStartElsewhere() {
    HttpApi other = HttpApi.create(broker, MAX_PAYLOAD, settings());
    try {
      assertThatThrownBy(() -> other.start("127.0.0.1", api.port(), ""))
          .isNotInstanceOf(IllegalStateException.class);

      other.start("127.0.0.1", 0, "");

      assertThat(other.port()).isNotEqualTo(api.port()).isPositive();
    } finally {
      other.stop();
    }
  }

  @Test
  void signingInOnAnOpenServerSaysNoSignInIsNeeded() throws Exception {
    HttpResponse<String> r = post("/session", "{\"token\":\"any-token-at-all-0123\"}");

    assertProblem(r, 403, "this server is open");
    assertThat(Json.tree(r.body()).get("type").asText()).endsWith("open-access");
  }

  @Test
  void enqueuesOneJobAndAnswersCreated() throws Exception {
    HttpResponse<String> r = post("/queues/mail/jobs",
        "{\"type\":\"email.send\",\"payload\":{\"to\":\"a@b.c\"},\"id\":\"j1\",\"priority\":\"high\"}");

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("id").asText()).isEqualTo("j1");
    assertThat(body.get("queue").asText()).isEqualTo("mail");
    assertThat(body.get("status").asText()).isEqualTo("waiting");
    assertThat(body.get("position").asLong()).isZero();
    assertThat(body.has("estimatedWaitMs")).isTrue();
    assertThat(body.get("created").asBoolean()).isTrue();

    JsonNode job = Json.tree(get("/jobs/j1").body());
    assertThat(job.get("type").asText()).isEqualTo("email.send");
    assertThat(job.get("priority").asText()).isEqualTo("high");
    assertThat(job.get("payload").get("to").asText()).isEqualTo("a@b.c");
  }

  @Test
  void enqueuesAnArrayAndAnswersAnArrayInOrder() throws Exception {
    HttpResponse<String> r = post("/queues/mail/jobs",
        "[{\"type\":\"a\",\"id\":\"x1\"},{\"type\":\"b\",\"id\":\"x2\",\"delay\":\"1h\"},"
            + "{\"type\":\"c\",\"id\":\"x3\",\"queue\":\"mail\"}]");

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = Json.tree(r.body());
    assertThat(body.isArray()).isTrue();
    assertThat(body).extracting(n -> n.get("id").asText()).containsExactly("x1", "x2", "x3");
    assertThat(body.get(1).get("status").asText()).isEqualTo("delayed");
    assertThat(broker.stats("mail").totalEnqueued()).isEqualTo(3);
  }

  @Test
  void aDuplicateIdAnswers200NotCreated() throws Exception {
    String job = "{\"type\":\"a\",\"id\":\"dup\"}";
    assertThat(post("/queues/mail/jobs", job).statusCode()).isEqualTo(201);

    HttpResponse<String> again = post("/queues/mail/jobs", job);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Json.tree(again.body()).get("created").asBoolean()).isFalse();
  }

  @Test
  void badInputAnswersItsProblemAndWritesNothing() throws Exception {
    JobClient.create(broker).enqueue(JobRequest.builder("seed").queue("mail").id("seed").build());
    Map<String, String> before = keys();
    String big = "\"" + "x".repeat(MAX_PAYLOAD + 10) + "\"";

    assertProblem(post("/queues/mail/jobs", "{\"type\":"), 400, "not valid JSON");
    assertProblem(post("/queues/mail/jobs", "{\"type\":\"a\",\"colour\":\"red\"}"), 400,
        "unknown field 'colour'");
    assertProblem(post("/queues/mail/jobs", "{\"type\":\"a\",\"priority\":\"urgent\"}"), 400,
        "urgent");
    assertProblem(post("/queues/mail/jobs", "[{\"type\":\"a\"},{\"type\":\"b\",\"id\":\"bad id\"}]"),
        400, "job [1]");
    assertProblem(post("/queues/mail/jobs", "{\"type\":\"a\",\"payload\":" + big + "}"), 413,
        "\"payload\"");
    assertProblem(announceLarge("/queues/mail/jobs", api.maxBodyBytes() + 10), 413,
        "over the limit");
    assertProblem(post("/queues/mail/jobs", "{\"type\":\"a\",\"queue\":\"other\"}"), 400,
        "'other'");
    assertProblem(post("/queues/mail/jobs", "{\"type\":\"a\",\"maxAttempts\":\"many\"}"), 400,
        "maxAttempts");
    assertProblem(post("/queues/mail/jobs", "42"), 400, "one job object");

    assertThat(keys()).isEqualTo(before);
  }

  @Test
  void readsRefuseUnknownQueuesAndJobsAndBadParameters() throws Exception {
    post("/queues/mail/jobs", "{\"type\":\"a\",\"id\":\"j1\"}");
    Map<String, String> before = keys();

    assertProblem(get("/jobs/nope"), 404, "'nope'");
    assertProblem(get("/queues/nope/stats"), 404, "no queue 'nope'");
    assertProblem(get("/queues/nope/jobs"), 404, "no queue 'nope'");
    assertProblem(get("/queues/mail/jobs?limit=1001"), 400, "\"limit\"");
    assertProblem(get("/queues/mail/jobs?offset=-1"), 400, "\"offset\"");
    assertProblem(get("/queues/mail/jobs?status=sleeping"), 400, "sleeping");
    assertProblem(get("/nothing/here"), 404, "routes are under /v1");

    assertThat(keys()).isEqualTo(before);
  }

  @Test
  void listsQueuesStatsAndJobs() throws Exception {
    post("/queues/mail/jobs", "[{\"type\":\"a\",\"id\":\"j1\"},{\"type\":\"a\",\"id\":\"j2\"}]");
    post("/queues/other/jobs", "{\"type\":\"a\"}");

    assertThat(Json.tree(get("/queues").body())).extracting(JsonNode::asText)
        .containsExactly("mail", "other");

    JsonNode stats = Json.tree(get("/queues/mail/stats").body());
    assertThat(stats.get("waitingTotal").asLong()).isEqualTo(2);
    assertThat(stats.get("totalEnqueued").asLong()).isEqualTo(2);

    JsonNode none = stats.get("runTime");
    assertThat(none.get("samples").asInt()).isZero();
    assertThat(none.get("meanMs").asLong()).isZero();

    JsonNode page = Json.tree(get("/queues/mail/jobs?status=waiting&offset=1&limit=5").body());
    assertThat(page.get("total").asLong()).isEqualTo(2);
    assertThat(page.get("jobs")).extracting(n -> n.get("id").asText()).containsExactly("j2");
  }

  @Test
  void statsGiveTheMeanBesideThePercentiles() throws Exception {
    post("/queues/mail/jobs", "{\"type\":\"a\"}");
    Job j = broker.claim("mail", "w", 1, Duration.ofMinutes(1)).get(0);
    broker.complete("mail", j.id(), j.token(), null);

    JsonNode run = Json.tree(get("/queues/mail/stats").body()).get("runTime");

    assertThat(run.get("samples").asInt()).isOne();
    assertThat(run.get("meanMs").asLong()).as("of one sample")
        .isEqualTo(run.get("p50Ms").asLong());
  }
}
