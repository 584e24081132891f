package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Limit;
import dev.jobq.Schedule;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A queue's settings (maximum depth, limits, schedules) and the workers, over HTTP. */
class SettingsOverHttpTest extends OperatorTestBase {

  @Test
  void setsTheMaximumDepthOfAQueueWithoutJobsYet() throws Exception {
    HttpResponse<String> r = put("/queues/fresh/max-depth", "{\"maxDepth\":5}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("maxDepth").asLong()).isEqualTo(5);
    assertThat(broker.stats("fresh").maxDepth()).isEqualTo(5);
  }

  @Test
  void setsListsAndRemovesLimits() throws Exception {
    enqueue("mail", "j1");

    HttpResponse<String> typed = put("/queues/mail/limits/email.send",
        "{\"maxRunning\":2,\"maxStarted\":100,\"per\":\"1m\"}");
    HttpResponse<String> own = put("/queues/mail/limits/_queue", "{\"maxRunning\":20}");

    assertThat(typed.statusCode()).as(typed.body()).isEqualTo(200);
    assertThat(Json.tree(typed.body()).get("perMs").asLong()).isEqualTo(60_000);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(client.limits("mail")).containsExactly(Limit.running(null, 20),
        new Limit("email.send", 2, 100, Duration.ofMinutes(1)));
    JsonNode listed = Json.tree(get("/queues/mail/limits").body()).get("limits");
    assertThat(listed).extracting(n -> n.get("type").isNull() ? "(queue)" : n.get("type").asText())
        .containsExactly("(queue)", "email.send");
    assertThat(listed.get(1).get("maxStarted").asInt()).isEqualTo(100);

    assertThat(delete("/queues/mail/limits/email.send").statusCode()).isEqualTo(200);
    assertThat(delete("/queues/mail/limits/_queue").statusCode()).isEqualTo(200);
    assertThat(client.limits("mail")).isEmpty();
    assertProblem(delete("/queues/mail/limits/email.send"), 404, "no limit for type 'email.send'");
  }

  @Test
  void badLimitsAnswer400AndWriteNothing() throws Exception {
    enqueue("mail", "j1");
    client.setLimit("mail", Limit.running("email.send", 3));
    Map<String, String> before = keys();

    assertProblem(put("/queues/mail/limits/email.send", "{}"), 400, "the limit sets nothing");
    assertProblem(put("/queues/mail/limits/email.send", "{\"maxRunning\":-1}"), 400,
        "\"maxRunning\" is -1");
    assertProblem(put("/queues/mail/limits/email.send", "{\"maxStarted\":5}"), 400,
        "\"maxStarted\" and \"per\" go together");
    assertProblem(put("/queues/mail/limits/email.send", "{\"maxRunning\":1,\"per\":\"1m\"}"), 400,
        "go together");
    assertProblem(put("/queues/mail/limits/email.send",
        "{\"maxStarted\":5,\"per\":\"often\"}"), 400, "\"per\"");
    assertProblem(put("/queues/mail/limits/email.send", "{\"maxRunning\":\"2\"}"), 400,
        "\"maxRunning\"");
    assertProblem(put("/queues/mail/limits/email.send", "{\"running\":2}"), 400,
        "unknown field 'running'");
    assertProblem(put("/queues/mail/limits/_other", "{\"maxRunning\":2}"), 400, "_queue");
    assertProblem(put("/queues/ma%20il/limits/x", "{\"maxRunning\":2}"), 400, "queue");
    assertProblem(put("/queues/mail/max-depth", "{\"maxDepth\":-1}"), 400, "\"maxDepth\" is -1");
    assertProblem(put("/queues/mail/max-depth", "{}"), 400, "\"maxDepth\"");
    assertProblem(get("/queues/mial/limits"), 404, "no queue 'mial'");
    assertProblem(delete("/queues/mail/limits/_queue"), 404, "no limit of its own");

    assertThat(keys()).isEqualTo(before);
    assertThat(client.limits("mail")).containsExactly(Limit.running("email.send", 3));
    assertThat(broker.stats("mail").maxDepth()).isZero();
  }

  @Test
  void putsListsAndRemovesSchedules() throws Exception {
    HttpResponse<String> cron = put("/queues/reports/schedules/nightly", "{\"type\":\"report"
        + ".build\",\"cron\":\"0 3 * * *\",\"zone\":\"Europe/Paris\",\"payload\":{\"scope\":"
        + "\"all\"},\"priority\":\"high\",\"maxAttempts\":2}");
    HttpResponse<String> every = put("/queues/caches/schedules/refresh",
        "{\"type\":\"cache.refresh\",\"every\":\"5m\"}");

    assertThat(cron.statusCode()).as(cron.body()).isEqualTo(200);
    assertThat(every.statusCode()).as(every.body()).isEqualTo(200);
    JsonNode answered = Json.tree(cron.body());
    assertThat(answered.get("zone").asText()).isEqualTo("Europe/Paris");
    assertThat(Instant.parse(answered.get("nextTick").asText())).isAfter(Instant.now());
    JsonNode all = Json.tree(get("/schedules").body()).get("schedules");
    assertThat(all).extracting(n -> n.get("queue").asText() + "/" + n.get("name").asText())
        .containsExactlyInAnyOrder("reports/nightly", "caches/refresh");
    Schedule stored = client.broker().schedules("reports").get(0).schedule();
    assertThat(stored.job().payload()).isEqualTo("{\"scope\":\"all\"}");
    assertThat(stored.job().maxAttempts()).isEqualTo(2);
    assertThat(Json.tree(every.body()).get("everyMs").asLong()).isEqualTo(300_000);

    assertThat(delete("/queues/caches/schedules/refresh").statusCode()).isEqualTo(200);
    assertThat(client.schedules()).extracting(p -> p.schedule().name()).containsExactly("nightly");
    assertProblem(delete("/queues/caches/schedules/refresh"), 404, "no schedule 'refresh'");
  }

  @Test
  void badSchedulesAnswer400AndWriteNothing() throws Exception {
    put("/queues/reports/schedules/nightly", "{\"type\":\"r\",\"every\":\"1h\"}");
    Map<String, String> before = keys();
    String path = "/queues/reports/schedules/nightly";

    assertProblem(put(path, "{\"type\":\"r\"}"), 400, "give \"cron\"");
    assertProblem(put(path, "{\"type\":\"r\",\"cron\":\"0 3 * * *\",\"every\":\"1h\"}"), 400,
        "not both");
    assertProblem(put(path, "{\"type\":\"r\",\"cron\":\"0 3 * *\"}"), 400, "five fields");
    assertProblem(put(path, "{\"type\":\"r\",\"cron\":\"0 3 * * *\",\"zone\":\"Mars/Base\"}"),
        400, "\"zone\" is 'Mars/Base'");
    assertProblem(put(path, "{\"type\":\"r\",\"every\":\"1h\",\"zone\":\"UTC\"}"), 400,
        "\"zone\" goes with \"cron\"");
    assertProblem(put(path, "{\"type\":\"r\",\"every\":\"500ms\"}"), 400, "\"every\"");
    assertProblem(put(path, "{\"every\":\"1m\"}"), 400, "\"type\"");
    assertProblem(put(path, "{\"type\":\"a b\",\"every\":\"1m\"}"), 400, "job type");
    assertProblem(put(path, "{\"type\":\"r\",\"every\":\"1m\",\"priority\":\"urgent\"}"), 400,
        "urgent");
    assertProblem(put(path, "{\"type\":\"r\",\"every\":\"1m\",\"maxAttempts\":0}"), 400,
        "\"maxAttempts\"");
    assertProblem(put(path, "{\"type\":\"r\",\"every\":\"1m\",\"dependsOn\":[\"x\"]}"), 400,
        "unknown field 'dependsOn'");
    assertProblem(put("/queues/reports/schedules/a@b", "{\"type\":\"r\",\"every\":\"1m\"}"), 400,
        "without '@'");

    assertThat(keys()).isEqualTo(before);
    assertThat(client.schedules()).singleElement().satisfies(p ->
        assertThat(p.schedule().every()).isEqualTo(Duration.ofHours(1)));
  }

  @Test
  void listsLiveWorkersAndLeavesThemOrders() throws Exception {
    Instant now = broker.now();
    broker.registerWorker(new WorkerInfo("host-a:42:k1", "host-a", 42, List.of("mail"), 4, 1,
        10, 2, now, now, "running"), Duration.ofMinutes(1));

    JsonNode workers = Json.tree(get("/workers").body()).get("workers");
    assertThat(workers).extracting(n -> n.get("id").asText()).containsExactly("host-a:42:k1");
    assertThat(workers.get(0).get("concurrency").asInt()).isEqualTo(4);

    HttpResponse<String> r = post("/workers/host-a:42:k1/control",
        "{\"quiet\":true,\"concurrency\":8}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("state").asText()).isEqualTo("quiet");
    WorkerControl orders = broker.registerWorker(new WorkerInfo("host-a:42:k1", "host-a", 42,
        List.of("mail"), 4, 1, 10, 2, now, broker.now(), "running"), Duration.ofMinutes(1));
    assertThat(orders).isEqualTo(new WorkerControl(WorkerControl.State.QUIET, 8));
  }

  @Test
  void badWorkerOrdersAnswer4xxAndWriteNothing() throws Exception {
    Instant now = broker.now();
    broker.registerWorker(new WorkerInfo("w1", "h", 1, List.of("mail"), 4, 0, 0, 0, now, now,
        "running"), Duration.ofMinutes(1));
    Map<String, String> before = keys();

    assertProblem(post("/workers/w1/control", "{}"), 400, "gives no orders");
    assertProblem(post("/workers/w1/control", "{\"stop\":false}"), 400, "\"stop\" is false");
    assertProblem(post("/workers/w1/control", "{\"stop\":true,\"quiet\":true}"), 400, "not both");
    assertProblem(post("/workers/w1/control", "{\"concurrency\":0}"), 400, "\"concurrency\"");
    assertProblem(post("/workers/w1/control", "{\"quiet\":\"yes\"}"), 400, "\"quiet\"");
    assertProblem(post("/workers/w1/control", "{\"pause\":true}"), 400, "unknown field");
    assertProblem(post("/workers/w9/control", "{\"stop\":true}"), 404, "no live worker 'w9'");

    assertThat(keys()).isEqualTo(before);
    assertThat(broker.registerWorker(new WorkerInfo("w1", "h", 1, List.of("mail"), 4, 0, 0, 0,
        now, broker.now(), "running"), Duration.ofMinutes(1))).isEqualTo(WorkerControl.NONE);
  }
}
