package dev.jobq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.internal.JobFields;
import dev.jobq.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads {@code enqueue --stdin}: one JSON object per line, with the fields of {@link JobFields}
 * (every option of a job). Every line is checked before anything is enqueued, so one bad line
 * refuses the whole input, naming its number. Blank lines are skipped.
 */
final class JobLines {
  /** A builder for a type with the command's flags applied: they are the lines' defaults. */
  private final Function<String, JobRequest.Builder> template;

  JobLines(Function<String, JobRequest.Builder> template) {
    this.template = template;
  }

  List<JobRequest> read(BufferedReader in) throws IOException {
    List<JobRequest> requests = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        requests.add(parse(line));
      } catch (InvalidJobException e) {
        throw new InvalidJobException(
            "stdin line " + number + ": " + e.getMessage() + "; nothing was enqueued");
      }
    }
    return requests;
  }

  JobRequest parse(String line) {
    JsonNode node = tree(line);
    JobFields.checkNames(node);
    JobRequest.Builder b = template.apply(JobFields.type(node));
    if (node.has("payload")) {
      b.payload(node.get("payload").toString());
    }
    String queue = JobFields.text(node, "queue");
    if (queue != null) {
      b.queue(queue);
    }
    JobFields.apply(node, b);
    JobRequest request = b.build();
    Json.checkPayload(request.payload(), JobClient.DEFAULT_MAX_PAYLOAD_BYTES);
    return request;
  }

  private static JsonNode tree(String line) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidJobException("not a JSON object: give {\"type\":\"…\", \"payload\":…}");
    }
    return node;
  }
}
