package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** POST /queues/{q}/complete: many leased jobs completed in one call, each with its outcome. */
class BatchCompleteOverHttpTest extends ApiTestBase {

  @Test
  void completesEveryClaimedJobInOneCall() throws Exception {
    enqueue("j1", "j2", "j3");
    Map<String, Long> tokens = claim(3);

    HttpResponse<String> r = post("/queues/mail/complete", "{\"worker\":\"agent-1\",\"jobs\":["
        + "{\"id\":\"j1\",\"token\":" + tokens.get("j1") + ",\"result\":{\"n\":1}},"
        + "{\"id\":\"j2\",\"token\":" + tokens.get("j2") + "},"
        + "{\"id\":\"j3\",\"token\":" + tokens.get("j3") + ",\"result\":null}]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(outcomes(r)).containsExactly(
        Map.entry("j1", "completed"), Map.entry("j2", "completed"), Map.entry("j3", "completed"));
    for (String id : new String[] {"j1", "j2", "j3"}) {
      assertThat(broker.get("mail", id).map(Job::status)).hasValue(JobStatus.COMPLETED);
    }
    assertThat(Json.tree(broker.get("mail", "j1").orElseThrow().result()).get("n").asInt())
        .isEqualTo(1);
    assertThat(broker.get("mail", "j2").orElseThrow().result()).isNull();
  }

  @Test
  void answersEachJobsOwnOutcomeInOrder() throws Exception {
    enqueue("ok", "stale", "gone");
    Map<String, Long> tokens = claim(3);
    client.cancel("mail", "gone");

    HttpResponse<String> r = post("/queues/mail/complete", "{\"worker\":\"agent-1\",\"jobs\":["
        + "{\"id\":\"gone\",\"token\":" + tokens.get("gone") + "},"
        + "{\"id\":\"stale\",\"token\":" + (tokens.get("stale") + 1) + "},"
        + "{\"id\":\"ok\",\"token\":" + tokens.get("ok") + "},"
        + "{\"id\":\"never\",\"token\":1}]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(outcomes(r)).containsExactly(Map.entry("gone", "cancelled"),
        Map.entry("stale", "lease-lost"), Map.entry("ok", "completed"),
        Map.entry("never", "lease-lost"));
    assertThat(broker.get("mail", "ok").map(Job::status)).hasValue(JobStatus.COMPLETED);
    assertThat(broker.get("mail", "stale").map(Job::status)).hasValue(JobStatus.ACTIVE);
    assertThat(broker.get("mail", "gone").map(Job::status)).hasValue(JobStatus.CANCELLED);
  }

  @Test
  void refusesABadBodyWholeAndWritesNothing() throws Exception {
    enqueue("j1", "j2");
    Map<String, Long> tokens = claim(2);
    String good = "{\"id\":\"j1\",\"token\":" + tokens.get("j1") + "}";
    String tooMany = IntStream.range(0, WorkRoutes.MAX_CLAIM + 1)
        .mapToObj(i -> "{\"id\":\"x" + i + "\",\"token\":1}").collect(Collectors.joining(","));
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/complete", "{\"jobs\":[" + good + "]}"), 400, "\"worker\"");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\"}"), 400,
        "\"jobs\" is missing");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[]}"), 400,
        "an array of 0: give an array of 1 to 100");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":{}}"), 400,
        "\"jobs\" is a JSON object");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + tooMany + "]}"),
        400, "an array of 101");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + good
        + ",{\"id\":\"j2\",\"token\":-1}]}"), 400, "jobs [1]: \"token\" is -1");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + good
        + ",{\"id\":\"j2\",\"token\":1,\"status\":\"done\"}]}"), 400,
        "jobs [1]: unknown field 'status'");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + good
        + ",{\"id\":\"a b\",\"token\":1}]}"), 400, "jobs [1]: \"id\" 'a b'");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + good + ","
        + good + "]}"), 400,
        "jobs [1]: job 'j1' is named twice: give each job once; nothing was completed");
    assertProblem(post("/queues/mail/complete", "{\"worker\":\"a\",\"jobs\":[" + good
        + ",7]}"), 400, "jobs [1]: \"jobs\" [1] is 7, not a JSON object");

    assertThat(keys()).isEqualTo(before);
    assertThat(broker.get("mail", "j1").map(Job::status)).hasValue(JobStatus.ACTIVE);
  }

  private void enqueue(String... ids) {
    for (String id : ids) {
      client.enqueue(JobRequest.builder("a").queue("mail").id(id).build());
    }
  }

  /** Claims n jobs of queue "mail" over HTTP: id to token. */
  private Map<String, Long> claim(int n) throws Exception {
    HttpResponse<String> r = post("/queues/mail/claim",
        "{\"worker\":\"agent-1\",\"max\":" + n + "}");
    Map<String, Long> tokens = new HashMap<>();
    Json.tree(r.body()).get("jobs").forEach(j -> tokens.put(j.get("id").asText(),
        j.get("token").asLong()));
    assertThat(tokens).hasSize(n);
    return tokens;
  }

  private static List<Map.Entry<String, String>> outcomes(HttpResponse<String> r) {
    JsonNode jobs = Json.tree(r.body()).get("jobs");
    List<Map.Entry<String, String>> out = new ArrayList<>();
    jobs.forEach(j -> out.add(Map.entry(j.get("id").asText(), j.get("outcome").asText())));
    return out;
  }
}
