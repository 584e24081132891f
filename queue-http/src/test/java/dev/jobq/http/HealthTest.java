package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import dev.jobq.redis.TestRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/health} follows Redis: up while it answers, 503 while it does not. */
class HealthTest extends ApiTestBase {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** A Redis of the test's own, since one test stops it. */
  @Override
  TestRedis testRedis() {
    return TestRedis.start();
  }

  @AfterEach
  void closeRedis() {
    redis.close();
  }

  @Test
  void answersUpWhileRedisAnswers() throws Exception {
    HttpResponse<String> r = get("/health");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("up");
    assertThat(body.get("redis").asText()).isEqualTo("up");
    assertThat(Instant.parse(body.get("redisTime").asText()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
    assertThat(body.get("version").asText()).isNotEmpty();
  }

  @Test
  void answers503WhileRedisIsDownAndUpOnceItIsBack() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);

    redis.stop();

    assertProblem(get("/health"), 503, "try again once Redis is reachable");

    redis.restart();
    // the pool may hand out a connection from before the restart once; the next one is new
    await().atMost(DEADLINE).until(() -> get("/health").statusCode() == 200);
  }
}
