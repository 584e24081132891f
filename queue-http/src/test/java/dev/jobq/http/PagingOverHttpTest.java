package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/queues/{q}/jobs} paged by cursor, and by offset as before. */
class PagingOverHttpTest extends ApiTestBase {

  @Test
  void pagesThroughEveryJobByCursor() throws Exception {
    enqueue("mail", 5);
    enqueue("other", 1);
    List<String> seen = new ArrayList<>();

    JsonNode page = Json.tree(get("/queues/mail/jobs?limit=2").body());
    int pages = 1;
    page.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
    while (page.has("nextCursor")) {
      HttpResponse<String> r = get("/queues/mail/jobs?limit=2&cursor="
          + page.get("nextCursor").asText());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      page = Json.tree(r.body());
      page.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
      pages++;
    }

    assertThat(seen).containsExactly("j0", "j1", "j2", "j3", "j4");
    assertThat(pages).isEqualTo(3);
    assertThat(page.get("total").asLong()).isEqualTo(5);
  }

  @Test
  void theLastPageHasNoCursorAndOffsetStillWorks() throws Exception {
    enqueue("mail", 3);

    JsonNode all = Json.tree(get("/queues/mail/jobs?limit=3").body());
    JsonNode byOffset = Json.tree(get("/queues/mail/jobs?offset=1&limit=1").body());

    assertThat(all.has("nextCursor")).isFalse();
    assertThat(byOffset.get("jobs").get(0).get("id").asText()).isEqualTo("j1");
    assertThat(byOffset.get("offset").asLong()).isEqualTo(1);
    assertThat(byOffset.has("nextCursor")).isTrue();
  }

  @Test
  void aCursorKeepsItsStatus() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.enqueue(JobRequest.builder("a").queue("mail").id("d" + i)
          .delay(java.time.Duration.ofHours(1 + i)).build());
    }
    String cursor = Json.tree(get("/queues/mail/jobs?status=delayed&limit=2").body())
        .get("nextCursor").asText();

    JsonNode rest = Json.tree(get("/queues/mail/jobs?limit=2&cursor=" + cursor).body());

    assertThat(rest.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly("d2");
  }

  @Test
  void aBadCursorAnswers400() throws Exception {
    enqueue("mail", 3);
    enqueue("other", 3);
    String cursor = Json.tree(get("/queues/mail/jobs?limit=1").body()).get("nextCursor").asText();
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("1\nmail\nWAITING\nx"
        .getBytes());

    assertProblem(get("/queues/mail/jobs?cursor=%25%25"), 400, "\"cursor\" '%%' is not one");
    assertProblem(get("/queues/mail/jobs?cursor=" + forged), 400, "is not one this API gave");
    assertProblem(get("/queues/other/jobs?cursor=" + cursor), 400,
        "was not given for queue 'other'");
    assertProblem(get("/queues/mail/jobs?status=failed&cursor=" + cursor), 400,
        "was given for status waiting, not failed");
    assertProblem(get("/queues/mail/jobs?offset=1&cursor=" + cursor), 400,
        "both \"cursor\" and \"offset\"");
  }

  private void enqueue(String queue, int n) {
    client.enqueueAll(IntStream.range(0, n).mapToObj(i ->
        JobRequest.builder("a").queue(queue).id("j" + i).build()).toList());
  }
}
