package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Events over HTTP: the streams as Server-Sent Events, resumable, and one job's events. */
class EventsOverHttpTest extends ApiTestBase {
  private static final Duration DEADLINE = Duration.ofSeconds(10);


  @Test
  void streamsAnEnqueuedJobsEvent() throws Exception {
    enqueue("mail", "seed");
    HttpResponse<Stream<String>> r = open("/events?queue=mail", null);
    try (Stream<String> lines = r.body()) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/event-stream"));
      Iterator<String> it = lines.iterator();
      // the stream starts from now: only after its first line is the enqueue surely later
      assertThat(it.next()).startsWith(":");
      enqueue("mail", "j1");

      Sse e = readEvents(it, 1).get(0);

      assertThat(e.event).isEqualTo("enqueued");
      assertThat(e.id).startsWith("mail=");
      JsonNode data = Json.tree(e.data);
      assertThat(data.get("job").asText()).isEqualTo("j1");
      assertThat(data.get("queue").asText()).isEqualTo("mail");
      assertThat(data.get("event").asText()).isEqualTo("enqueued");
      assertThat(data.get("position").asText()).isEqualTo(e.id.substring("mail=".length()));
      assertThat(data.get("at").asText()).isNotEmpty();
      assertThat(data.get("details").get("status").asText()).isEqualToIgnoringCase("waiting");
    }
    // the server notices the closed connection at its next keep-alive, then stops at once
    await().atMost(DEADLINE).until(() -> streamingThreads() == 0);
    long t0 = System.nanoTime();
    api.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void stopEndsAnOpenStream() throws Exception {
    enqueue("mail", "seed");
    HttpResponse<Stream<String>> r = open("/events?queue=mail", null);
    try (Stream<String> lines = r.body()) {
      assertThat(lines.iterator().next()).startsWith(":");
      assertThat(streamingThreads()).isEqualTo(1);

      api.stop();

      assertThat(streamingThreads()).isZero();
    }
  }

  private static long streamingThreads() {
    return Thread.getAllStackTraces().values().stream().filter(stack -> Stream.of(stack)
        .anyMatch(f -> f.getClassName().equals(EventRoutes.class.getName()))).count();
  }

  @Test
  void resumesAfterTheLastEventIdWithOnlyTheLaterEvents() throws Exception {
    enqueue("mail", "seed");
    enqueue("other", "seed2");
    String firstId;
    List<String> later;
    HttpResponse<Stream<String>> r = open("/events", null); // every known queue
    try (Stream<String> lines = r.body()) {
      Iterator<String> it = lines.iterator();
      assertThat(it.next()).startsWith(":");
      enqueue("mail", "j1");
      enqueue("other", "j2");
      enqueue("mail", "j3");
      List<Sse> all = readEvents(it, 3);
      assertThat(all).extracting(Sse::job).containsExactlyInAnyOrder("j1", "j2", "j3");
      // events come oldest first within a queue; the id after the first covers every queue
      firstId = all.get(0).id;
      later = all.subList(1, 3).stream().map(Sse::job).toList();
      assertThat(firstId).contains("mail=").contains("other=");
    }

    HttpResponse<Stream<String>> again = open("/events", firstId);
    try (Stream<String> lines = again.body()) {
      List<Sse> resumed = readEvents(lines.iterator(), 2);
      assertThat(resumed).extracting(Sse::job).containsExactlyInAnyOrderElementsOf(later);
    }
  }

  @Test
  void refusesUnknownQueuesAndBadIdsBeforeStreaming() throws Exception {
    enqueue("mail", "seed");

    assertProblem(get("/events?queue=mail,nope"), 404, "no queue 'nope'");
    assertProblem(get("/events?queue=bad%20name"), 400, "bad name");
    assertProblem(get("/events?queue=mail&lastEventId=mail%3Dyesterday"), 400, "queue=position");
  }

  @Test
  void answersOneJobsEventsSoFar() throws Exception {
    enqueue("mail", "j1");
    enqueue("mail", "j2");
    client.cancel("mail", "j1");

    HttpResponse<String> r = get("/jobs/j1/events");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("queue").asText()).isEqualTo("mail");
    assertThat(body.get("events")).extracting(n -> n.get("event").asText())
        .containsExactly("enqueued", "cancelled");
    assertThat(body.get("events")).allSatisfy(n -> assertThat(n.get("job").asText()).isEqualTo("j1"));
    assertThat(body.get("scanned").asInt()).isEqualTo(3);
    assertThat(body.get("complete").asBoolean()).isTrue();
    assertProblem(get("/jobs/nope/events"), 404, "'nope'");
  }

  @Test
  void aLongJobsPageShowsItsNewestEventsBehindMoreThanOneReadOfOthers() throws Exception {
    broker.tools().setEventsKept("busy", 100_000);
    enqueue("busy", "long");
    othersEnqueued("busy", JobTimeline.SCAN + 2_000);
    assertThat(broker.claim("busy", "w1", 1, Duration.ofMinutes(5))).extracting(j -> j.id())
        .containsExactly("long");

    JsonNode body = Json.tree(get("/jobs/long/events").body());

    assertThat(body.get("events")).extracting(n -> n.get("event").asText())
        .containsExactly("enqueued", "started");
    assertThat(body.get("complete").asBoolean()).as("the read back met the forward one").isTrue();
    assertThat(body.get("gap").isNull()).isTrue();
  }

  @Test
  void aTimelineWithMoreBetweenItsEventsThanBothReadsNamesTheGap() throws Exception {
    broker.tools().setEventsKept("busy", 100_000);
    enqueue("busy", "long");
    othersEnqueued("busy", JobTimeline.SCAN + JobTimeline.BACK + 2_000);
    Job running = broker.claim("busy", "w1", 1, Duration.ofMinutes(5)).get(0);
    assertThat(broker.complete("busy", "long", running.token(), null)).isTrue();

    JsonNode body = Json.tree(get("/jobs/long/events").body());

    assertThat(body.get("events")).extracting(n -> n.get("event").asText())
        .containsExactly("enqueued", "started", "completed");
    assertThat(body.get("events")).extracting(n -> n.get("position").asText())
        .doesNotHaveDuplicates();
    assertThat(body.get("complete").asBoolean()).isFalse();
    assertThat(body.get("scanned").asInt()).isEqualTo(JobTimeline.SCAN + JobTimeline.BACK);
    JsonNode gap = body.get("gap");
    assertThat(JobTimeline.compare(gap.get("after").asText(), gap.get("before").asText()))
        .as("the gap lies between the two reads").isNegative();
    assertThat(gap.get("from").asText()).isNotEmpty();
    assertThat(gap.get("to").asText()).isNotEmpty();
  }

  /** Jobs of other ids in one queue, an enqueued event each. */
  private void othersEnqueued(String queue, int n) {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(JobRequest.builder("a").queue(queue).id("other-" + i).build());
      if (jobs.size() == JobClient.MAX_BATCH || i == n - 1) {
        client.enqueueAll(jobs);
        jobs.clear();
      }
    }
  }

  private record Sse(String id, String event, String data) {
    String job() {
      return Json.tree(data).get("job").asText();
    }
  }

  /** Reads lines until {@code n} events came, skipping comments; fails past the deadline. */
  private static List<Sse> readEvents(Iterator<String> it, int n) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    List<Sse> events = new ArrayList<>();
    Map<String, String> fields = new HashMap<>();
    // keep-alives come every second, so each next() returns well within the deadline
    while (events.size() < n && System.nanoTime() < deadline) {
      String line = it.next();
      if (line.isEmpty()) {
        if (fields.containsKey("data")) {
          events.add(new Sse(fields.get("id"), fields.get("event"), fields.get("data")));
        }
        fields.clear();
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(": ");
        fields.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    assertThat(events).as("events within %s", DEADLINE).hasSize(n);
    return events;
  }

  private HttpResponse<Stream<String>> open(String path, String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }


  private void enqueue(String queue, String id) {
    client.enqueue(JobRequest.builder("a").queue(queue).id(id).build());
  }
}
