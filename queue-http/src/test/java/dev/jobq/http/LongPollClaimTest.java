package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long-polling claims share one wait on Redis for all queues: more of them than the broker has
 * connections (16 by default), on more queues than that, leave the server's other requests their
 * connections; and at most {@link ClaimWaiter#MAX_WAITERS} wait at once.
 */
class LongPollClaimTest extends ApiTestBase {
  static final int WAITERS = 24;

  @Test
  void moreWaitingClaimsThanConnectionsLeaveTheOtherRequestsAnswered() throws Exception {
    post("/queues/mail/jobs", "{\"type\":\"warm.up\"}"); // the queue exists, so stats answer
    post("/queues/mail/claim", "{\"worker\":\"warm\"}");
    List<CompletableFuture<HttpResponse<String>>> claims = new ArrayList<>();
    for (int i = 0; i < WAITERS; i++) {
      claims.add(HTTP.sendAsync(request("/queues/mail/claim",
          "{\"worker\":\"agent-" + i + "\",\"wait\":\"30s\"}"), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10))
        .until(api::waitingClaims, w -> w.equals(WAITERS + " on 1"));

    HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(base
        + "/queues/mail/stats")).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    assertThat(claims).noneMatch(CompletableFuture::isDone);

    StringBuilder jobs = new StringBuilder("[");
    for (int i = 0; i < WAITERS; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"type\":\"mail.send\",\"id\":\"m").append(i)
          .append("\"}");
    }
    assertThat(post("/queues/mail/jobs", jobs.append("]").toString()).statusCode())
        .isEqualTo(201);
    Set<String> claimed = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> claim : claims) {
      HttpResponse<String> r = claim.get(20, TimeUnit.SECONDS);
      JsonNode got = Json.tree(r.body()).get("jobs");
      assertThat(got).as(r.body()).hasSize(1);
      claimed.add(got.get(0).get("id").asText());
    }
    assertThat(claimed).hasSize(WAITERS);
    await().atMost(Duration.ofSeconds(5))
        .until(api::waitingClaims, w -> w.equals("0 on 0"));
  }

  @Test
  void waitingClaimsOnMoreQueuesThanConnectionsHoldOneConnection() throws Exception {
    post("/queues/mail/jobs", "{\"type\":\"warm.up\"}"); // the queue exists, so stats answer
    List<CompletableFuture<HttpResponse<String>>> claims = new ArrayList<>();
    for (int i = 0; i < WAITERS; i++) {
      claims.add(HTTP.sendAsync(request("/queues/q" + i + "/claim",
          "{\"worker\":\"agent-" + i + "\",\"wait\":\"30s\"}"),
          HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10))
        .until(api::waitingClaims, w -> w.equals(WAITERS + " on " + WAITERS));

    HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(base
        + "/queues/mail/stats")).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    assertThat(claims).noneMatch(CompletableFuture::isDone);
    int last = WAITERS - 1;
    post("/queues/q" + last + "/jobs", "{\"type\":\"mail.send\",\"id\":\"late\"}");
    HttpResponse<String> r = claims.get(last).get(20, TimeUnit.SECONDS);
    assertThat(Json.tree(r.body()).get("jobs").get(0).get("id").asText()).as(r.body())
        .isEqualTo("late");
    await().atMost(Duration.ofSeconds(5))
        .until(api::waitingClaims, w -> w.equals(last + " on " + last));
  }

  @Test
  void pastTheCapAClaimAnswersAtOnce() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> claims = new ArrayList<>();
    for (int i = 0; i < ClaimWaiter.MAX_WAITERS; i++) {
      claims.add(HTTP.sendAsync(request("/queues/mail/claim",
          "{\"worker\":\"agent-" + i + "\",\"wait\":\"30s\"}"),
          HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(20))
        .until(api::waitingClaims, w -> w.equals(ClaimWaiter.MAX_WAITERS + " on 1"));
    long start = System.nanoTime();

    HttpResponse<String> r = post("/queues/mail/claim", "{\"worker\":\"one-more\","
        + "\"wait\":\"30s\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).get("jobs")).as(r.body()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(claims).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void aWaitingClaimEndsEmptyAtItsDeadline() throws Exception {
    long start = System.nanoTime();

    HttpResponse<String> r = post("/queues/mail/claim", "{\"worker\":\"a\",\"wait\":\"1s\"}");

    assertThat(Json.tree(r.body()).get("jobs")).as(r.body()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        Duration.ofSeconds(1));
  }

  @Test
  void stoppingTheServerEndsTheWaitingClaimsAtOnce() throws Exception {
    HTTP.sendAsync(request("/queues/mail/claim", "{\"worker\":\"a\",\"wait\":\"30s\"}"),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10))
        .until(api::waitingClaims, w -> w.equals("1 on 1"));

    api.stop();

    // not still waiting out its 30 s on a server thread after the server stopped
    assertThat(api.waitingClaims()).startsWith("0 on");
  }
}
