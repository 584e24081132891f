package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators' actions on jobs and queues: cancel, retry, pause, resume, clear, purge. */
class OperatorOverHttpTest extends OperatorTestBase {

  @Test
  void cancelsAJobFoundByItsIdAlone() throws Exception {
    enqueue("mail", "j1");

    HttpResponse<String> r = post("/jobs/j1/cancel", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("queue").asText()).isEqualTo("mail");
    assertThat(body.get("outcome").asText()).isEqualTo("cancelled");
    assertThat(status("mail", "j1")).isEqualTo(JobStatus.CANCELLED);
    assertThat(Json.tree(post("/jobs/j1/cancel", "").body()).get("outcome").asText())
        .isEqualTo("already_finished");
  }

  @Test
  void cancelsManyAndAnswersEachIdsOutcome() throws Exception {
    enqueue("mail", "j1");
    enqueue("mail", "j2");
    client.cancel("mail", "j2");

    HttpResponse<String> r = post("/queues/mail/cancel", "{\"ids\":[\"j1\",\"j2\",\"nope\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode results = Json.tree(r.body()).get("results");
    assertThat(results).extracting(n -> n.get("id").asText() + "=" + n.get("outcome").asText())
        .containsExactly("j1=cancelled", "j2=already_finished", "nope=not_found");
    assertThat(status("mail", "j1")).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void retriesOneFailedJob() throws Exception {
    failed("mail", "j1");

    HttpResponse<String> r = post("/jobs/j1/retry", "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("status").asText()).isEqualTo("waiting");
    assertThat(status("mail", "j1")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void retryOfAJobThatIsNotFailedAnswers409WithItsStatus() throws Exception {
    enqueue("mail", "j1");
    Map<String, String> before = keys();

    assertProblem(post("/jobs/j1/retry", ""), 409, "job 'j1' is waiting, not failed");
    assertProblem(post("/jobs/nope/retry", ""), 404, "no job 'nope'");
    assertProblem(post("/jobs/nope/cancel", ""), 404, "no job 'nope'");
    assertProblem(post("/jobs/bad%20id/cancel", ""), 400, "job id");

    assertThat(keys()).isEqualTo(before);
    assertThat(status("mail", "j1")).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void retriesFailedJobsByIdOrAll() throws Exception {
    failed("mail", "f1");
    failed("mail", "f2");
    failed("mail", "f3");

    JsonNode some = Json.tree(post("/queues/mail/retry", "{\"ids\":[\"f1\",\"nope\"]}").body());
    assertThat(some.get("requested").asInt()).isEqualTo(2);
    assertThat(some.get("retried").asLong()).isEqualTo(1);
    assertThat(status("mail", "f1")).isEqualTo(JobStatus.WAITING);
    assertThat(status("mail", "f2")).isEqualTo(JobStatus.FAILED);

    JsonNode all = Json.tree(post("/queues/mail/retry", "{\"all\":true}").body());
    assertThat(all.get("retried").asLong()).isEqualTo(2);
    assertThat(all.get("requested").isNull()).isTrue();
    assertThat(broker.stats("mail").failed()).isZero();
  }

  @Test
  void pausesAndResumesAQueue() throws Exception {
    enqueue("mail", "j1");

    JsonNode paused = Json.tree(post("/queues/mail/pause", "").body());
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("changed").asBoolean()).isTrue();
    assertThat(broker.stats("mail").paused()).isTrue();
    assertThat(Json.tree(post("/queues/mail/pause", "").body()).get("changed").asBoolean())
        .isFalse();

    JsonNode resumed = Json.tree(post("/queues/mail/resume", "").body());
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(resumed.get("changed").asBoolean()).isTrue();
    assertThat(broker.stats("mail").paused()).isFalse();
  }

  @Test
  void clearNeedsTheQueuesNameAsConfirmation() throws Exception {
    enqueue("mail", "j1");
    client.enqueue(JobRequest.builder("a").queue("mail").id("j2").delay(
        java.time.Duration.ofHours(1)).build());
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/clear", "{}"), 400,
        "\"confirm\" is missing: send \"confirm\": \"mail\"");
    assertProblem(post("/queues/mail/clear", "{\"confirm\":\"other\"}"), 400,
        "\"confirm\" is 'other'");
    assertProblem(post("/queues/mail/clear", "{\"confirm\":true}"), 400, "\"confirm\"");
    assertProblem(post("/queues/mail/clear", ""), 400, "the body is empty");
    assertProblem(post("/queues/mail/clear", "{\"confirm\":\"mail\",\"dryRun\":\"yes\"}"), 400,
        "\"dryRun\"");
    assertThat(keys()).isEqualTo(before);

    JsonNode dry = Json.tree(post("/queues/mail/clear", "{\"dryRun\":true}").body());
    assertThat(dry.get("dryRun").asBoolean()).isTrue();
    assertThat(dry.get("waiting").asLong()).isEqualTo(1);
    assertThat(dry.get("delayed").asLong()).isEqualTo(1);
    assertThat(keys()).isEqualTo(before);

    HttpResponse<String> r = post("/queues/mail/clear", "{\"confirm\":\"mail\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("total").asLong()).isEqualTo(2);
    assertThat(client.get("mail", "j1")).isEmpty();
  }

  @Test
  void purgesFinishedJobsOlderThanTheAge() throws Exception {
    enqueue("mail", "j1");
    client.cancel("mail", "j1");
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/purge", "{}"), 400, "\"olderThan\" is missing");
    assertProblem(post("/queues/mail/purge", "{\"olderThan\":\"soon\"}"), 400, "\"olderThan\"");
    assertProblem(post("/queues/mail/purge", "{\"olderThan\":\"-1h\"}"), 400, "\"olderThan\"");
    assertThat(keys()).isEqualTo(before);
    assertThat(Json.tree(post("/queues/mail/purge", "{\"olderThan\":\"1h\"}").body())
        .get("deleted").asLong()).isZero();

    HttpResponse<String> r = post("/queues/mail/purge", "{\"olderThan\":\"0s\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("deleted").asLong()).isEqualTo(1);
    assertThat(client.get("mail", "j1")).isEmpty();
  }

  @Test
  void queueActionsOnAnUnknownQueueAnswer404AndWriteNothing() throws Exception {
    enqueue("mail", "j1");
    Map<String, String> before = keys();

    for (String action : new String[] {"cancel", "retry", "pause", "resume", "clear", "purge"}) {
      assertProblem(post("/queues/mial/" + action, "{\"confirm\":\"mial\"}"), 404,
          "no queue 'mial'");
    }

    assertThat(keys()).isEqualTo(before);
    assertThat(broker.queues()).doesNotContain("mial");
  }

  @Test
  void badIdsListsAnswer400AndWriteNothing() throws Exception {
    enqueue("mail", "j1");
    Map<String, String> before = keys();

    assertProblem(post("/queues/mail/cancel", "{}"), 400, "\"ids\" is missing");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":[]}"), 400, "\"ids\" is []");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":\"j1\"}"), 400, "give an array");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":[\"j1\",7]}"), 400, "\"ids\"[1] is 7");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":[\"j1\",\"a b\"]}"), 400, "\"ids\"[1]");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":[\"j1\"],\"all\":true}"), 400,
        "unknown field 'all'");
    assertProblem(post("/queues/mail/retry", "{}"), 400, "give either \"ids\"");
    assertProblem(post("/queues/mail/retry", "{\"ids\":[\"j1\"],\"all\":true}"), 400,
        "not both");
    assertProblem(post("/queues/mail/retry", "{\"all\":1}"), 400, "\"all\" is 1");
    assertProblem(post("/queues/mail/cancel", "{\"ids\":"), 400, "not valid JSON");

    assertThat(keys()).isEqualTo(before);
    assertThat(status("mail", "j1")).isEqualTo(JobStatus.WAITING);
  }

  private JobStatus status(String queue, String id) {
    return client.get(queue, id).orElseThrow().status();
  }
}
