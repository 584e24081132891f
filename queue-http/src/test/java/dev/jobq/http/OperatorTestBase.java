package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The operators' tests: PUT and DELETE calls, and jobs put in a given state. */
abstract class OperatorTestBase extends ApiTestBase {
  HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  void enqueue(String queue, String id) {
    client.enqueue(JobRequest.builder("a").queue(queue).id(id).maxAttempts(1).build());
  }

  /** A job of its own, claimed and failed for good: in the failed list. */
  void failed(String queue, String id) {
    enqueue(queue, id);
    List<Job> claimed = broker.claim(queue, "w", 1, Duration.ofMinutes(1));
    assertThat(claimed).extracting(Job::id).containsExactly(id);
    FailOutcome outcome = broker.fail(queue, id, claimed.get(0).token(),
        new Failure("E", "broken", ""), null);
    assertThat(outcome).isEqualTo(FailOutcome.DEAD_LETTERED);
  }
}
