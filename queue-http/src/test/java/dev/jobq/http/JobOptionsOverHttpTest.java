package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every option of a job, posted as JSON: it reaches the job, and a bad value writes nothing. */
class JobOptionsOverHttpTest extends ApiTestBase {

  @Test
  void theSimpleOptionsShowOnTheJob() throws Exception {
    HttpResponse<String> r = post("/queues/mail/jobs", "{\"type\":\"email.send\",\"id\":\"j1\","
        + "\"priority\":\"low\",\"runAt\":\"2030-01-01T09:00:00Z\",\"maxAttempts\":7,"
        + "\"backoff\":\"fixed:10s\",\"timeout\":\"90s\","
        + "\"headers\":{\"tenant\":\"acme\",\"trace.id\":\"t-1\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

    JsonNode job = Json.tree(get("/jobs/j1").body());
    assertThat(job.get("priority").asText()).isEqualTo("low");
    assertThat(job.get("status").asText()).isEqualTo("delayed");
    assertThat(job.get("runAt").asText()).isEqualTo("2030-01-01T09:00:00Z");
    assertThat(job.get("maxAttempts").asInt()).isEqualTo(7);
    assertThat(job.get("backoff").asText()).isEqualTo("fixed:10s");
    assertThat(job.get("timeoutMs").asLong()).isEqualTo(90_000);
    assertThat(Json.mapper().convertValue(job.get("headers"), Map.class))
        .isEqualTo(Map.of("tenant", "acme", "trace.id", "t-1"));
  }

  @Test
  void aDependencyGraphInOneArrayIsWrittenParentsFirst() throws Exception {
    // the children come before their parent in the body: the graph is ordered, not refused
    HttpResponse<String> r = post("/queues/etl/jobs", "["
        + "{\"type\":\"etl.report\",\"id\":\"report\",\"dependsOn\":[\"clean\",\"index\"]},"
        + "{\"type\":\"etl.clean\",\"id\":\"clean\",\"dependsOn\":[\"extract\"]},"
        + "{\"type\":\"etl.index\",\"id\":\"index\",\"dependsOn\":[\"extract\"]},"
        + "{\"type\":\"etl.extract\",\"id\":\"extract\"}]");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode answer = Json.tree(r.body());
    assertThat(answer).extracting(n -> n.get("id").asText())
        .containsExactly("report", "clean", "index", "extract");
    assertThat(answer).extracting(n -> n.get("status").asText())
        .containsExactly("blocked", "blocked", "blocked", "waiting");
    JsonNode report = Json.tree(get("/jobs/report").body());
    assertThat(report.get("status").asText()).isEqualTo("blocked");
    assertThat(report.get("dependsOn")).extracting(JsonNode::asText)
        .containsExactly("clean", "index");
  }

  @Test
  void aChildThatRunsIfItsParentFailsIsReleasedWhenTheParentDeadLetters() throws Exception {
    post("/queues/etl/jobs", "[{\"type\":\"etl.extract\",\"id\":\"p\",\"maxAttempts\":1},"
        + "{\"type\":\"etl.cleanup\",\"id\":\"anyway\",\"dependsOn\":[\"p\"],"
        + "\"runIfParentsFail\":true},"
        + "{\"type\":\"etl.load\",\"id\":\"strict\",\"dependsOn\":[\"p\"]}]");

    failTheOnlyClaimableJob("etl", "p");

    assertThat(status("anyway")).isEqualTo("waiting");
    assertThat(status("strict")).isEqualTo("cancelled");
  }

  @Test
  void aUniqueKeyAnswersTheFirstJobWithinItsWindow() throws Exception {
    HttpResponse<String> first = post("/queues/mail/jobs",
        "{\"type\":\"invoice.send\",\"unique\":\"invoice:42\",\"uniqueFor\":\"1d\"}");
    HttpResponse<String> second = post("/queues/mail/jobs",
        "{\"type\":\"invoice.send\",\"unique\":\"invoice:42\"}");
    HttpResponse<String> other = post("/queues/mail/jobs",
        "{\"type\":\"invoice.send\",\"unique\":\"invoice:43\"}");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode dup = Json.tree(second.body());
    assertThat(dup.get("created").asBoolean()).isFalse();
    assertThat(dup.get("id").asText()).isEqualTo(Json.tree(first.body()).get("id").asText());
    assertThat(other.statusCode()).isEqualTo(201);
    assertThat(broker.stats("mail").totalEnqueued()).isEqualTo(2);
  }

  @Test
  void anEscalationHandsTheExhaustedJobToANewOne() throws Exception {
    post("/queues/mail/jobs", "{\"type\":\"sync.crm\",\"id\":\"j1\",\"maxAttempts\":1,"
        + "\"headers\":{\"tenant\":\"acme\"},"
        + "\"escalation\":{\"type\":\"page.human\",\"queue\":\"oncall\",\"priority\":\"critical\"}}");

    HttpResponse<String> failed = failTheOnlyClaimableJob("mail", "j1");

    assertThat(Json.tree(failed.body()).get("outcome").asText()).isEqualTo("escalated");
    String to = Json.tree(get("/jobs/j1").body()).get("escalatedTo").asText();
    assertThat(to).startsWith("oncall/j1/escalated-");
    Job taken = client.require("oncall", to.substring("oncall/".length()));
    assertThat(taken.type()).isEqualTo("page.human");
    assertThat(taken.priority().name()).isEqualTo("CRITICAL");
    assertThat(taken.headers()).containsEntry("tenant", "acme")
        .containsEntry(Escalation.FROM_HEADER, "mail/j1");
  }

  @Test
  void aCycleIsRefusedNamingItsJobsAndNothingIsWritten() throws Exception {
    client.enqueue(JobRequest.builder("seed").queue("etl").id("seed").build());
    Map<String, String> before = keys();

    HttpResponse<String> r = post("/queues/etl/jobs", "["
        + "{\"type\":\"a\",\"id\":\"a\",\"dependsOn\":[\"c\"]},"
        + "{\"type\":\"b\",\"id\":\"b\",\"dependsOn\":[\"a\"]},"
        + "{\"type\":\"c\",\"id\":\"c\",\"dependsOn\":[\"b\"]},"
        + "{\"type\":\"free\",\"id\":\"free\"}]");

    assertProblem(r, 400, "cycle");
    assertThat(Json.tree(r.body()).get("detail").asText()).contains("a", "b", "c")
        .contains("nothing was enqueued");
    assertThat(keys()).isEqualTo(before);
  }

  @Test
  void badOptionValuesAnswer400NamingTheFieldAndWriteNothing() throws Exception {
    client.enqueue(JobRequest.builder("seed").queue("mail").id("seed").build());
    Map<String, String> before = keys();

    bad("{\"type\":\"a\",\"dependsOn\":\"seed\"}", "\"dependsOn\" must be an array");
    bad("{\"type\":\"a\",\"dependsOn\":[7]}", "\"dependsOn\" [0]");
    bad("{\"type\":\"a\",\"dependsOn\":[\"bad id\"]}", "\"dependsOn\" [0]: invalid job id");
    bad("{\"type\":\"a\",\"dependsOn\":[\"nobody\"]}", "depends on nobody");
    bad("{\"type\":\"a\",\"id\":\"me\",\"dependsOn\":[\"me\"]}", "cannot depend on itself");
    bad("{\"type\":\"a\",\"dependsOn\":[\"seed\"],\"runIfParentsFail\":\"yes\"}",
        "\"runIfParentsFail\" must be true or false");
    bad("{\"type\":\"a\",\"unique\":\"has space\"}", "uniqueness key 'has space'");
    bad("{\"type\":\"a\",\"unique\":\"k\",\"uniqueFor\":\"forever\"}", "invalid duration 'forever'");
    bad("{\"type\":\"a\",\"unique\":\"k\",\"uniqueFor\":\"31d\"}", "uniqueness window");
    bad("{\"type\":\"a\",\"uniqueFor\":\"1h\"}", "\"uniqueFor\" is '1h' but there is no \"unique\"");
    bad("{\"type\":\"a\",\"headers\":[\"x\"]}", "\"headers\" must be an object of strings");
    bad("{\"type\":\"a\",\"headers\":{\"n\":5}}", "header 'n' must have a string value");
    bad("{\"type\":\"a\",\"headers\":{\"bad name\":\"v\"}}", "invalid header name 'bad name'");
    bad("{\"type\":\"a\",\"headers\":{\"n\":\"" + "v".repeat(1001) + "\"}}",
        "at most 1000 characters");
    bad("{\"type\":\"a\",\"escalation\":\"oncall\"}", "\"escalation\" must be an object");
    bad("{\"type\":\"a\",\"escalation\":{}}", "another job type, another queue");
    bad("{\"type\":\"a\",\"escalation\":{\"queue\":\"on call\"}}", "invalid queue name 'on call'");
    bad("{\"type\":\"a\",\"escalation\":{\"queue\":\"q\",\"priority\":\"urgent\"}}",
        "unknown priority 'urgent'");
    bad("{\"type\":\"a\",\"escalation\":{\"queue\":\"q\",\"colour\":\"red\"}}",
        "unknown field 'colour'");
    bad("[{\"type\":\"a\",\"id\":\"x\"},{\"type\":\"b\",\"id\":\"x\",\"dependsOn\":[\"seed\"]}]",
        "appears twice");

    assertThat(keys()).isEqualTo(before);
  }

  private void bad(String body, String detailPart) throws Exception {
    assertProblem(post("/queues/mail/jobs", body), 400, detailPart);
  }

  private HttpResponse<String> failTheOnlyClaimableJob(String queue, String id) throws Exception {
    HttpResponse<String> claim = post("/queues/" + queue + "/claim", "{\"worker\":\"agent-1\"}");
    JsonNode jobs = Json.tree(claim.body()).get("jobs");
    assertThat(jobs).as(claim.body()).hasSize(1);
    assertThat(jobs.get(0).get("id").asText()).isEqualTo(id);
    return post("/queues/" + queue + "/jobs/" + id + "/fail", "{\"token\":"
        + jobs.get(0).get("token").asLong()
        + ",\"error\":{\"class\":\"Boom\",\"message\":\"no\"},\"retryIn\":null}");
  }

  private String status(String id) throws Exception {
    return Json.tree(get("/jobs/" + id).body()).get("status").asText();
  }
}
