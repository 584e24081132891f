package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.Schedule;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real answers against openapi.json: each status is documented for its operation, and each
 * object's field names are its schema's properties (none undocumented, none required missing),
 * down through nested objects and arrays. A field-name check, not a full validator: enough that
 * the hand-written description cannot silently drift from the views.
 */
class OpenApiAnswersTest extends OperatorTestBase {
  private JsonNode description;

  @BeforeEach
  void readDescription() throws Exception {
    description = Json.tree(get("/openapi.json").body());
  }

  @Test
  void jobAnswersHaveTheDocumentedFields() throws Exception {
    client.enqueue(JobRequest.builder("extract").queue("mail").id("parent").build());
    client.enqueue(JobRequest.builder("email.send").queue("mail").id("other").build());
    String job = "{\"type\":\"email.send\",\"id\":\"child\",\"payload\":{\"to\":\"a@b.c\"},"
        + "\"dependsOn\":[\"parent\"],\"headers\":{\"tenant\":\"acme\"},\"backoff\":\"fixed:5s\","
        + "\"timeout\":\"30s\",\"escalation\":{\"type\":\"page.human\",\"queue\":\"oncall\"}}";

    answers("POST", "/queues/{q}/jobs", post("/queues/mail/jobs", job));
    answers("POST", "/queues/{q}/jobs", post("/queues/mail/jobs", "[" + job + "]"));
    answers("GET", "/jobs/{id}", get("/jobs/child"));
    JsonNode page = answers("GET", "/queues/{q}/jobs", get("/queues/mail/jobs?limit=1"));
    assertThat(page.has("nextCursor")).as("a first page of two").isTrue();
    answers("GET", "/queues/{q}/jobs", get("/queues/mail/jobs?cursor="
        + page.get("nextCursor").asText()));
    answers("GET", "/queues/{q}/stats", get("/queues/mail/stats"));
    answers("GET", "/queues", get("/queues"));
    answers("GET", "/jobs/{id}/events", get("/jobs/child/events"));
    answers("GET", "/health", get("/health"));
    answers("GET", "/jobs/{id}", get("/jobs/nothing-here"));
  }

  @Test
  void workAnswersHaveTheDocumentedFields() throws Exception {
    enqueue("work", "w1");
    enqueue("work", "w2");
    enqueue("work", "w3");

    JsonNode claimed = answers("POST", "/queues/{q}/claim",
        post("/queues/work/claim", "{\"worker\":\"agent\",\"max\":3}")).get("jobs");
    assertThat(claimed).hasSize(3);
    long[] tokens = new long[3];
    for (int i = 0; i < 3; i++) {
      tokens[i] = claimed.get(i).get("token").asLong();
    }
    String w1 = claimed.get(0).get("id").asText();
    answers("POST", "/queues/{q}/jobs/{id}/heartbeat", post("/queues/work/jobs/" + w1
        + "/heartbeat", "{\"worker\":\"agent\",\"token\":" + tokens[0] + "}"));
    answers("POST", "/queues/{q}/jobs/{id}/progress", post("/queues/work/jobs/" + w1
        + "/progress", "{\"token\":" + tokens[0] + ",\"done\":1,\"total\":2}"));
    answers("POST", "/queues/{q}/jobs/{id}/complete", post("/queues/work/jobs/" + w1
        + "/complete", "{\"token\":" + tokens[0] + ",\"result\":{\"sent\":true}}"));
    answers("POST", "/queues/{q}/jobs/{id}/complete", post("/queues/work/jobs/" + w1
        + "/complete", "{\"token\":" + tokens[0] + "}"));
    answers("POST", "/queues/{q}/jobs/{id}/fail", post("/queues/work/jobs/"
        + claimed.get(1).get("id").asText() + "/fail", "{\"token\":" + tokens[1]
        + ",\"error\":{\"class\":\"E\",\"message\":\"broken\"}}"));
    answers("POST", "/queues/{q}/jobs/{id}/release", post("/queues/work/jobs/"
        + claimed.get(2).get("id").asText() + "/release", "{\"token\":" + tokens[2] + "}"));
  }

  @Test
  void typedClaimAndBatchedCompleteAnswersHaveTheDocumentedFields() throws Exception {
    enqueue("batch", "b1");
    client.enqueue(JobRequest.builder("other").queue("batch").id("o1").build());
    enqueue("batch", "b2");

    JsonNode claimed = answers("POST", "/queues/{q}/claim", post("/queues/batch/claim",
        "{\"worker\":\"agent\",\"types\":[\"a\"],\"max\":3}")).get("jobs");
    assertThat(claimed).extracting(j -> j.get("id").asText()).containsExactly("b1", "b2");
    long b1 = claimed.get(0).get("token").asLong();
    long b2 = claimed.get(1).get("token").asLong();
    answers("POST", "/queues/{q}/claim", post("/queues/batch/claim",
        "{\"worker\":\"agent\",\"types\":[\"a\",\"b\",\"a\"]}"));
    answers("POST", "/queues/{q}/claim", post("/queues/batch/claim",
        "{\"worker\":\"agent\",\"types\":\"a\"}"));

    JsonNode outcomes = answers("POST", "/queues/{q}/complete", post("/queues/batch/complete",
        "{\"worker\":\"agent\",\"jobs\":[{\"id\":\"b1\",\"token\":" + b1
            + ",\"result\":{\"sent\":true}},{\"id\":\"b2\",\"token\":" + (b2 + 1) + "}]}"))
        .get("jobs");
    assertThat(outcomes).extracting(j -> j.get("outcome").asText())
        .containsExactly("completed", "lease-lost");
    answers("POST", "/queues/{q}/complete", post("/queues/batch/complete",
        "{\"worker\":\"agent\",\"jobs\":[{\"id\":\"b2\",\"token\":" + b2
            + "},{\"id\":\"b2\",\"token\":" + b2 + "}]}"));
  }

  @Test
  void operatorAnswersHaveTheDocumentedFields() throws Exception {
    failed("ops", "f1");
    failed("ops", "f2");
    enqueue("ops", "c1");
    enqueue("ops", "c2");

    answers("POST", "/jobs/{id}/retry", post("/jobs/f1/retry", ""));
    answers("POST", "/jobs/{id}/retry", post("/jobs/f1/retry", ""));
    answers("POST", "/queues/{q}/retry", post("/queues/ops/retry", "{\"all\":true}"));
    answers("POST", "/jobs/{id}/cancel", post("/jobs/c1/cancel", ""));
    answers("POST", "/queues/{q}/cancel", post("/queues/ops/cancel", "{\"ids\":[\"c2\",\"x\"]}"));
    answers("POST", "/queues/{q}/pause", post("/queues/ops/pause", ""));
    answers("POST", "/queues/{q}/resume", post("/queues/ops/resume", ""));
    answers("POST", "/queues/{q}/clear", post("/queues/ops/clear", "{\"dryRun\":true}"));
    answers("POST", "/queues/{q}/purge", post("/queues/ops/purge", "{\"olderThan\":\"7d\"}"));
    answers("POST", "/queues/{q}/pause", post("/queues/none/pause", ""));
  }

  @Test
  void settingAndWorkerAnswersHaveTheDocumentedFields() throws Exception {
    enqueue("ops", "j1");
    Instant now = broker.now();
    broker.registerWorker(new WorkerInfo("host-a:42:k1", "host-a", 42, List.of("ops"), 4, 1,
        10, 2, now, now, "running"), Duration.ofMinutes(1));

    answers("PUT", "/queues/{q}/max-depth", put("/queues/ops/max-depth", "{\"maxDepth\":100}"));
    answers("PUT", "/queues/{q}/limits/{type}", put("/queues/ops/limits/email.send",
        "{\"maxRunning\":2,\"maxStarted\":10,\"per\":\"1m\"}"));
    answers("PUT", "/queues/{q}/limits/{type}", put("/queues/ops/limits/_queue",
        "{\"maxRunning\":5}"));
    answers("GET", "/queues/{q}/limits", get("/queues/ops/limits"));
    answers("DELETE", "/queues/{q}/limits/{type}", delete("/queues/ops/limits/email.send"));
    answers("DELETE", "/queues/{q}/limits/{type}", delete("/queues/ops/limits/email.send"));
    answers("PUT", "/queues/{q}/schedules/{name}", put("/queues/ops/schedules/nightly",
        "{\"type\":\"report\",\"cron\":\"0 3 * * *\",\"zone\":\"Europe/Paris\","
            + "\"payload\":{\"full\":true},\"priority\":\"high\",\"maxAttempts\":3}"));
    answers("GET", "/schedules", get("/schedules"));
    answers("DELETE", "/queues/{q}/schedules/{name}", delete("/queues/ops/schedules/nightly"));
    answers("DELETE", "/queues/{q}/schedules/{name}", delete("/queues/ops/schedules/nightly"));
    answers("GET", "/workers", get("/workers"));
    answers("POST", "/workers/{id}/control", post("/workers/host-a:42:k1/control",
        "{\"quiet\":true,\"concurrency\":8}"));
    answers("POST", "/workers/{id}/control", post("/workers/gone/control", "{\"stop\":true}"));
  }

  @Test
  void searchDeleteAndRunNowAnswersHaveTheDocumentedFields() throws Exception {
    failed("dash", "f1"); // first, as failed() claims the queue's next job
    enqueue("dash", "busy");
    assertThat(broker.claim("dash", "w", 1, Duration.ofMinutes(1))).extracting(Job::id)
        .containsExactly("busy");
    enqueue("dash", "s1");
    client.enqueue(JobRequest.builder("a").queue("dash").id("later").delay(Duration.ofHours(1))
        .build());

    assertThat(answers("GET", "/queues/{q}/search", get("/queues/dash/search?q=s1")).get("jobs"))
        .extracting(j -> j.get("id").asText()).containsExactly("s1");
    assertThat(answers("GET", "/queues/{q}/search",
        get("/queues/dash/search?q=BROKEN&in=error&status=failed&limit=1")).get("jobs"))
        .extracting(j -> j.get("id").asText()).containsExactly("f1");
    refused("GET", "/queues/{q}/search", get("/queues/dash/search?in=type"), "invalid-request");
    answers("DELETE", "/jobs/{id}", delete("/jobs/s1"));
    refused("DELETE", "/jobs/{id}", delete("/jobs/busy"), "job-active");
    answers("POST", "/jobs/{id}/run-now", post("/jobs/later/run-now", ""));
    refused("POST", "/jobs/{id}/run-now", post("/jobs/later/run-now", ""), "job-not-delayed");
    assertThat(answers("GET", "/jobs/{id}/events", get("/jobs/later/events")).get("events"))
        .extracting(e -> e.get("event").asText()).contains("promoted");
  }

  @Test
  void deadLetterAndTriggerAnswersHaveTheDocumentedFields() throws Exception {
    failed("dead", "f1");
    failed("dead", "f2");
    client.addSchedule(Schedule.every("nightly", Duration.ofHours(1),
        JobRequest.builder("report").queue("dead")));

    JsonNode groups = answers("GET", "/queues/{q}/dead-letters/groups",
        get("/queues/dead/dead-letters/groups")).get("groups");
    assertThat(groups).extracting(g -> g.get("count").asInt()).containsExactly(2);
    refused("GET", "/queues/{q}/dead-letters/groups", get("/queues/none/dead-letters/groups"),
        "queue-not-found");
    String retry = "{\"group\":\"" + groups.get(0).get("group").asText() + "\"}";
    assertThat(answers("POST", "/queues/{q}/dead-letters/retry",
        post("/queues/dead/dead-letters/retry", retry)).get("retried").asLong()).isEqualTo(2);
    refused("POST", "/queues/{q}/dead-letters/retry",
        post("/queues/dead/dead-letters/retry", retry), "group-not-found");
    HttpResponse<String> triggered = post("/queues/dead/schedules/nightly/trigger", "");
    assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(201);
    answers("POST", "/queues/{q}/schedules/{name}/trigger", triggered);
    assertThat(answers("GET", "/schedules", get("/schedules")).get("schedules").get(0)
        .get("lastTick").get("jobId").asText())
        .isEqualTo(Json.tree(triggered.body()).get("id").asText());
    refused("POST", "/queues/{q}/schedules/{name}/trigger",
        post("/queues/dead/schedules/none/trigger", ""), "schedule-not-found");
  }

  /** A refusal, checked as {@link #answers}, of the problem type {@code slug}. */
  private void refused(String method, String path, HttpResponse<String> r, String slug) {
    assertThat(answers(method, path, r).get("type").asText()).as(method + " " + path)
        .isEqualTo("https://jobq.dev/problems/" + slug);
  }

  @Test
  void overviewAndSessionAnswersHaveTheDocumentedFields() throws Exception {
    enqueue("mail", "m1");

    answers("GET", "/queues/{q}/history", get("/queues/mail/history?range=24h"));
    answers("GET", "/queues/{q}/history", get("/queues/mail/history?range=7d"));
    answers("GET", "/queues/{q}/history", get("/queues/none/history"));
    answers("GET", "/redis", get("/redis"));
    answers("GET", "/session", get("/session"));
    answers("POST", "/session", post("/session", "{\"token\":\"no-tokens-on-this-server\"}"));
    answers("POST", "/session", post("/session", "[]"));
    answers("DELETE", "/session", delete("/session"));
  }

  /** Checks the answer against its operation's description, and returns its body. */
  private JsonNode answers(String method, String path, HttpResponse<String> r) {
    String where = method + " " + path + " " + r.statusCode();
    JsonNode operation = description.path("paths").path(path)
        .path(method.toLowerCase(Locale.ROOT));
    assertThat(operation.isObject()).as(where + " is described").isTrue();
    JsonNode response = resolve(operation.path("responses").path(
        String.valueOf(r.statusCode())));
    assertThat(response.isObject()).as(where + " is a documented status: " + r.body()).isTrue();
    Map.Entry<String, JsonNode> content = response.path("content").fields().next();
    assertThat(r.headers().firstValue("Content-Type")).as(where)
        .hasValueSatisfying(t -> assertThat(t).startsWith(content.getKey()));
    JsonNode body = Json.tree(r.body());
    assertFields(body, content.getValue().path("schema"), where);
    return body;
  }

  private void assertFields(JsonNode value, JsonNode schema, String where) {
    JsonNode s = resolve(schema);
    if (value.isArray() && s.has("items")) {
      for (JsonNode item : value) {
        assertFields(item, s.get("items"), where + "[]");
      }
    }
    JsonNode properties = s.get("properties");
    if (properties == null || !value.isObject()) {
      return; // free-form JSON (a payload), a map (headers) or a scalar: nothing to name
    }
    List<String> names = names(value.fieldNames());
    assertThat(names).as(where + ": fields not in its schema").isSubsetOf(
        names(properties.fieldNames()));
    List<String> required = new ArrayList<>();
    s.path("required").forEach(n -> required.add(n.asText()));
    assertThat(names).as(where + ": required fields").containsAll(required);
    for (String name : names) {
      if (!value.get(name).isNull()) {
        assertFields(value.get(name), properties.get(name), where + "." + name);
      }
    }
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : description.at(ref.asText().substring(1));
  }

  private static List<String> names(Iterator<String> it) {
    List<String> names = new ArrayList<>();
    it.forEachRemaining(names::add);
    return names;
  }
}
