package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import dev.jobq.spi.Failure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overview's figures: a queue's history for the charts, and Redis's facts. */
class HistoryAndRedisOverHttpTest extends ApiTestBase {

  @Test
  void anHoursHistoryIsSixtyMinutesEndingWithTheCompletionsAndFailuresOfNow() throws Exception {
    client.enqueue(JobRequest.builder("t").queue("mail").id("a").build());
    client.enqueue(JobRequest.builder("t").queue("mail").id("b").maxAttempts(1).build());
    List<Job> claimed = broker.claim("mail", "w", 2, Duration.ofMinutes(1));
    broker.complete("mail", "a", claimed.get(0).token(), null);
    broker.fail("mail", "b", claimed.get(1).token(), Failure.of("E", "broken"), null);

    HttpResponse<String> r = get("/queues/mail/history?range=1h");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode h = Json.tree(r.body());
    assertThat(h.get("stepMs").asLong()).isEqualTo(60_000);
    JsonNode points = h.get("points");
    assertThat(points).hasSize(60);
    JsonNode now = points.get(59);
    assertThat(now.get("completed").asLong() + points.get(58).get("completed").asLong())
        .as("now, or the minute before when the minute turned meanwhile").isEqualTo(1);
    assertThat(now.get("at").asText()).endsWith(":00Z");
    long total = 0;
    for (JsonNode p : points) {
      total += p.get("failed").asLong();
    }
    assertThat(total).isEqualTo(1);
  }

  @Test
  void aDaysHistoryIsInTenMinuteSteps() throws Exception {
    client.enqueue(JobRequest.builder("t").queue("mail").build());

    JsonNode h = Json.tree(get("/queues/mail/history?range=24h").body());

    assertThat(h.get("range").asText()).isEqualTo("24h");
    assertThat(h.get("stepMs").asLong()).isEqualTo(600_000);
    assertThat(h.get("points")).hasSize(144);
  }

  @Test
  void anUnknownRangeOrQueueIsRefused() throws Exception {
    client.enqueue(JobRequest.builder("t").queue("mail").build());

    assertProblem(get("/queues/mail/history?range=7d"), 400, "'7d': give 1h");
    assertProblem(get("/queues/nothing/history"), 404, "no queue 'nothing'");
  }

  @Test
  void redisFactsNameTheServersVersionAndItsWarnings() throws Exception {
    HttpResponse<String> r = get("/redis");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode facts = Json.tree(r.body());
    assertThat(facts.get("version").asText())
        .isEqualTo(broker.tools().serverInfo("server").get("redis_version"));
    assertThat(facts.get("aof").asText()).isIn("on", "off");
    assertThat(facts.get("usedMemory").asText()).isNotEmpty();
    assertThat(Json.mapper().convertValue(facts.get("warnings"), List.class))
        .isEqualTo(broker.tools().serverWarnings());
    // one server: no list of nodes, though the server was given how to read them
    assertThat(facts.has("nodes")).isFalse();
  }

  @Test
  void withoutRedisFactsTheRouteAnswersNotAvailable() throws Exception {
    HttpApi bare = HttpApi.create(broker, HttpSettings.builder().openAccess().build())
        .start("127.0.0.1", 0, "");
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + bare.port() + "/v1/redis")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertProblem(r, 404, "not available");
    } finally {
      bare.stop();
    }
  }
}
