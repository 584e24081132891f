package dev.jobq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.internal.Durations;
import dev.jobq.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /v1/queues/{q}/jobs}: one job object or an array of them, with
 * the fields of {@code jobq enqueue --stdin} lines (queue-cli's JobLines, which is package-private
 * there). Every job is checked before anything is enqueued; a refusal names the job's index.
 */
final class JobBodies {
  static final Set<String> FIELDS = Set.of("type", "payload", "queue", "priority",
      "delay", "runAt", "maxAttempts", "backoff", "timeout", "id", "replaceFinished");

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
      throw new Problem(p.status, p.slug, p.title, where + p.getMessage() + "; nothing was enqueued");
    } catch (InvalidJobException e) {
      throw Problem.badRequest(where + e.getMessage() + "; nothing was enqueued");
    }
  }

  private JobRequest parse(String queue, JsonNode node) {
    if (!node.isObject()) {
      throw new InvalidJobException("not a JSON object but " + node
          + ": give {\"type\":\"…\", \"payload\":…}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidJobException("unknown field '" + name + "'; the fields are "
            + new java.util.TreeSet<>(FIELDS));
      }
    }
    String type = text(node, "type");
    if (type == null) {
      throw new InvalidJobException("no \"type\": every job needs its type");
    }
    String inBody = text(node, "queue");
    if (inBody != null && !inBody.equals(queue)) {
      throw new InvalidJobException("\"queue\" is '" + inBody + "' but the path names '" + queue
          + "': leave the field out or post to /v1/queues/" + inBody + "/jobs");
    }
    JobRequest.Builder b = JobRequest.builder(type).queue(queue);
    if (node.has("payload")) {
      b.payload(checkedPayload(node.get("payload").toString()));
    }
    apply(node, b);
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

  private static void apply(JsonNode node, JobRequest.Builder b) {
    String v;
    if ((v = text(node, "priority")) != null) {
      b.priority(Priority.parse(v));
    }
    if ((v = text(node, "delay")) != null) {
      b.delay(Durations.parse(v)).runAt(null);
    }
    if ((v = text(node, "runAt")) != null) {
      b.runAt(instant(v)).delay(null);
    }
    if ((v = text(node, "maxAttempts")) != null) {
      b.maxAttempts(wholeNumber("maxAttempts", v));
    }
    if ((v = text(node, "backoff")) != null) {
      b.backoff(Backoff.parse(v));
    }
    if ((v = text(node, "timeout")) != null) {
      b.timeout(Durations.parse(v));
    }
    if ((v = text(node, "id")) != null) {
      b.id(v);
    }
    if (flag(node, "replaceFinished")) {
      b.replaceFinished();
    }
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

  /** A boolean field; absent or null is false. */
  private static boolean flag(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v != null && !v.isNull() && !v.isBoolean()) {
      throw new InvalidJobException("\"" + field + "\" must be true or false, not " + v);
    }
    return v != null && v.asBoolean();
  }

  /** A string or number field as text; null when absent or JSON null. */
  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new InvalidJobException("\"" + field + "\" must be a string or a number, not " + v);
    }
    return v.asText();
  }

  private static int wholeNumber(String field, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidJobException("\"" + field + "\" must be a whole number, not '" + v + "'");
    }
  }

  /** ISO-8601 with a zone, as the CLI takes it. */
  private static Instant instant(String value) {
    String v = value.trim();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new InvalidJobException("\"runAt\" '" + value + "' is not a time: use ISO-8601"
            + " with a zone, such as 2030-01-01T09:00:00Z");
      }
    }
  }
}
