package dev.jobq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.internal.Durations;
import dev.jobq.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code enqueue --stdin}: one JSON object per line,
 * {@code {"type":…,"payload":…,"queue":…,"priority":…,"delay":"5s","runAt":…,"maxAttempts":…,
 * "backoff":…,"timeout":…,"id":…,"replaceFinished":true}}. Every line is checked before anything is enqueued, so one bad
 * line refuses the whole input, naming its number. Blank lines are skipped.
 */
final class JobLines {
  private static final Set<String> FIELDS = Set.of("type", "payload", "queue", "priority",
      "delay", "runAt", "maxAttempts", "backoff", "timeout", "id", "replaceFinished");

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
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidJobException("unknown field '" + name + "'; the fields are " + FIELDS);
      }
    }
    String type = text(node, "type");
    if (type == null) {
      throw new InvalidJobException("no \"type\": every line needs the job type");
    }
    JobRequest.Builder b = template.apply(type);
    if (node.has("payload")) {
      b.payload(node.get("payload").toString());
    }
    apply(node, b);
    JobRequest request = b.build();
    Json.checkPayload(request.payload(), JobClient.DEFAULT_MAX_PAYLOAD_BYTES);
    return request;
  }

  private static void apply(JsonNode node, JobRequest.Builder b) {
    String v;
    if ((v = text(node, "queue")) != null) {
      b.queue(v);
    }
    if ((v = text(node, "priority")) != null) {
      b.priority(Priority.parse(v));
    }
    if ((v = text(node, "delay")) != null) {
      b.delay(Durations.parse(v)).runAt(null);
    }
    if ((v = text(node, "runAt")) != null) {
      b.runAt(Converters.instant(v)).delay(null);
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

  /** A boolean field; absent or null is false. */
  private static boolean flag(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v != null && !v.isNull() && !v.isBoolean()) {
      throw new InvalidJobException("\"" + field + "\" must be true or false, not " + v);
    }
    return v != null && v.asBoolean();
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
}
