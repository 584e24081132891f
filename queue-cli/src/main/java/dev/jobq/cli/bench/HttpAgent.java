package dev.jobq.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.cli.CommandFailed;
import dev.jobq.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client of the API as an agent in another language would be: its own HTTP/1.1 client
 * (keep-alive, one connection while it makes one call at a time), JSON in and out.
 */
final class HttpAgent {
  /** A claimed job as an agent needs it to report: its id and lease token. */
  record Lease(String id, long token) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final String base;
  private final String name;

  /** An agent of the API at {@code base} ({@code http://host:port/v1}). */
  HttpAgent(String base, String name) {
    this.base = base;
    this.name = name;
  }

  /** Posts a JSON array of jobs to the queue, as one request. */
  void enqueue(String queue, String jobsArray) throws InterruptedException {
    post("/queues/" + queue + "/jobs", jobsArray, 201);
  }

  /** Claims up to {@code max} jobs, long-polling up to {@code wait} (such as "1s"). */
  List<Lease> claim(String queue, int max, String wait) throws InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("worker", name);
    body.put("max", max);
    body.put("wait", wait);
    JsonNode jobs = Json.tree(post("/queues/" + queue + "/claim", Json.encode(body), 200))
        .get("jobs");
    List<Lease> leases = new ArrayList<>(jobs.size());
    jobs.forEach(j -> leases.add(new Lease(j.get("id").asText(), j.get("token").asLong())));
    return leases;
  }

  /** Completes the claimed jobs in one call; how many the server accepted. */
  int complete(String queue, List<Lease> leases) throws InterruptedException {
    List<Map<String, Object>> jobs = new ArrayList<>(leases.size());
    for (Lease l : leases) {
      jobs.add(Map.of("id", l.id(), "token", l.token()));
    }
    JsonNode answers = Json.tree(post("/queues/" + queue + "/complete",
        Json.encode(Map.of("worker", name, "jobs", jobs)), 200)).get("jobs");
    int completed = 0;
    for (JsonNode a : answers) {
      completed += a.get("outcome").asText().equals("completed") ? 1 : 0;
    }
    return completed;
  }

  private String post(String path, String body, int expected) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CommandFailed("POST " + base + path + " failed: " + e);
    }
    if (response.statusCode() != expected) {
      throw new CommandFailed("POST " + base + path + " answered " + response.statusCode()
          + ", not " + expected + ": " + response.body());
    }
    return response.body();
  }
}
