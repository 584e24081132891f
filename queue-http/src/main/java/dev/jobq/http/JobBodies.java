package dev.jobq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.internal.JobFields;
import dev.jobq.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/queues/{q}/jobs}: one job object or an array of them, with
 * the fields of {@code jobq enqueue --stdin} lines (queue-cli's JobLines, which is package-private
 * there). Every job is checked before anything is enqueued; a refusal names the job's index.
 */
final class JobBodies {
  private final int maxPayloadBytes;

  JobBodies(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** The body's jobs, and whether it was an array (then the answer is one too). */
  record Parsed(List<JobRequest> requests, boolean array) {}

  Parsed read(String queue, String body) {
    JsonNode root = tree(body);
    if (root.isObject()) {
      return new Parsed(List.of(job(queue, root, null)), false);
    }
    if (!root.isArray()) {
      throw Problem.badRequest("the body is " + root.getNodeType().toString().toLowerCase()
          + ": give one job object {\"type\":\"…\",\"payload\":…} or an array of them");
    }
    if (root.isEmpty()) {
      throw Problem.badRequest("the body is an empty array: give at least one job");
    }
    List<JobRequest> requests = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      requests.add(job(queue, root.get(i), i));
    }
    return new Parsed(requests, true);
  }

  private JobRequest job(String queue, JsonNode node, Integer index) {
    String where = index == null ? "" : "job [" + index + "]: ";
    try {
      return parse(queue, node);
    } catch (Problem p) {
      throw new Problem(p.status, p.slug, p.title, where + p.getMessage()
          + "; nothing was enqueued");
    } catch (InvalidJobException e) {
      throw Problem.badRequest(where + e.getMessage() + "; nothing was enqueued");
    }
  }

  private JobRequest parse(String queue, JsonNode node) {
    JobFields.checkNames(node);
    String type = JobFields.type(node);
    String inBody = JobFields.text(node, "queue");
    if (inBody != null && !inBody.equals(queue)) {
      throw new InvalidJobException("\"queue\" is '" + inBody + "' but the path names '" + queue
          + "': leave the field out or post to /v1/queues/" + inBody + "/jobs");
    }
    JobRequest.Builder b = JobRequest.builder(type).queue(queue);
    if (node.has("payload")) {
      b.payload(checkedPayload(node.get("payload").toString()));
    }
    JobFields.apply(node, b);
    return b.build();
  }

  private String checkedPayload(String payload) {
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPayloadBytes) {
      throw Problem.tooLarge("\"payload\" is " + bytes + " bytes, over the limit of "
          + maxPayloadBytes + ": store large data elsewhere and pass a reference");
    }
    return Json.checkPayload(payload, maxPayloadBytes);
  }

  private static JsonNode tree(String body) {
    if (body == null || body.isBlank()) {
      throw Problem.badRequest("the body is empty: give one job object"
          + " {\"type\":\"…\",\"payload\":…} or an array of them");
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new Problem(400, "malformed-json", "Malformed JSON",
          "the body is not valid JSON: " + firstLine(e.getOriginalMessage())
              + " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + "; nothing was enqueued");
    }
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }
}
