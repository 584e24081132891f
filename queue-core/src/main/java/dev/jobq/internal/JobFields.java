package dev.jobq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.Escalation;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job as a JSON object, as {@code jobq enqueue --stdin} lines and the HTTP API take it:
 * {@code {"type":…,"payload":…,"queue":…,"priority":…,"delay":"5s","runAt":…,"maxAttempts":…,
 * "backoff":…,"timeout":…,"id":…,"replaceFinished":true,"dependsOn":["…"],"runIfParentsFail":true,
 * "unique":"…","uniqueFor":"1d","headers":{"…":"…"},"escalation":{"type":…,"queue":…,"priority":…}}}:
 * every option of {@link JobRequest.Builder}, named as the CLI's flags. One set of field rules for both.
 */
public final class JobFields {
  public static final Set<String> FIELDS = new TreeSet<>(Set.of("type", "payload", "queue",
      "priority", "delay", "runAt", "maxAttempts", "backoff", "timeout", "id", "replaceFinished",
      "dependsOn", "runIfParentsFail", "unique", "uniqueFor", "headers", "escalation"));
  /** How long a uniqueness key holds when {@code "uniqueFor"} is left out, as the CLI's --unique-for. */
  public static final Duration DEFAULT_UNIQUE_FOR = Duration.ofHours(1);
  static final Set<String> ESCALATION_FIELDS = new TreeSet<>(Set.of("type", "queue", "priority"));

  private JobFields() {}

  /** Refuses a value that is not an object, or an object with a field not in {@link #FIELDS}. */
  public static void checkNames(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidJobException("not a JSON object but " + node
          + ": give {\"type\":\"…\", \"payload\":…}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidJobException("unknown field '" + name + "'; the fields are " + FIELDS);
      }
    }
  }

  /** The job's type, which every job needs. */
  public static String type(JsonNode node) {
    String type = text(node, "type");
    if (type == null) {
      throw new InvalidJobException("no \"type\": every job needs its type");
    }
    return type;
  }

  /**
   * Sets on {@code b} what the object gives besides type, payload and queue, which callers
   * handle (defaults, a queue named by the path, a payload limit of their own).
   */
  public static void apply(JsonNode node, JobRequest.Builder b) {
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
    b.dependsOn(parents(node));
    if (flag(node, "runIfParentsFail")) {
      b.runEvenIfParentsFail();
    }
    unique(node, b);
    headers(node).forEach(b::header);
    Escalation escalation = escalation(node.get("escalation"));
    if (escalation != null) {
      b.escalateTo(escalation);
    }
  }

  /** True when a job of the batch waits for others: the batch must then go in as a graph. */
  public static boolean anyDependsOn(List<JobRequest> requests) {
    return requests.stream().anyMatch(r -> !r.dependsOn().isEmpty());
  }

  private static List<String> parents(JsonNode node) {
    JsonNode v = node.get("dependsOn");
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new InvalidJobException("\"dependsOn\" must be an array of job ids, such as"
          + " [\"extract-42\"], not " + v);
    }
    List<String> ids = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode id = v.get(i);
      if (!id.isTextual()) {
        throw new InvalidJobException("\"dependsOn\" [" + i + "] must be a job id as a string,"
            + " not " + id);
      }
      try {
        ids.add(Names.checkJobId(id.asText()));
      } catch (InvalidJobException e) {
        throw new InvalidJobException("\"dependsOn\" [" + i + "]: " + e.getMessage());
      }
    }
    return ids;
  }

  private static void unique(JsonNode node, JobRequest.Builder b) {
    String key = text(node, "unique");
    String window = text(node, "uniqueFor");
    if (key == null && window != null) {
      throw new InvalidJobException("\"uniqueFor\" is '" + window + "' but there is no \"unique\":"
          + " give the uniqueness key too, or leave \"uniqueFor\" out");
    }
    if (key != null) {
      b.unique(key, window == null ? DEFAULT_UNIQUE_FOR : Durations.parse(window));
    }
  }

  /** The headers object; its limits (count, value length) are checked when the job is built. */
  private static Map<String, String> headers(JsonNode node) {
    JsonNode v = node.get("headers");
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new InvalidJobException("\"headers\" must be an object of strings, such as"
          + " {\"tenant\":\"acme\"}, not " + v);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new InvalidJobException("\"headers\": header '" + Names.printable(e.getKey())
            + "' must have a string value, not " + e.getValue() + ": quote it");
      }
      try {
        Names.checkType(e.getKey());
      } catch (InvalidJobException bad) {
        throw new InvalidJobException("\"headers\": invalid header name '"
            + Names.printable(e.getKey()) + "': use letters, digits and . _ : $ -, starting with"
            + " a letter or digit");
      }
      headers.put(e.getKey(), e.getValue().asText());
    });
    return headers;
  }

  private static Escalation escalation(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new InvalidJobException("\"escalation\" must be an object such as"
          + " {\"type\":\"page.human\",\"queue\":\"oncall\"}, not " + v);
    }
    for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!ESCALATION_FIELDS.contains(name)) {
        throw new InvalidJobException("\"escalation\" has an unknown field '" + name
            + "'; its fields are " + ESCALATION_FIELDS);
      }
    }
    try {
      String priority = text(v, "priority");
      return new Escalation(text(v, "type"), text(v, "queue"),
          priority == null ? null : Priority.parse(priority));
    } catch (InvalidJobException e) {
      throw new InvalidJobException("\"escalation\" " + v + ": " + e.getMessage());
    }
  }

  /** A string or number field as text; null when absent or JSON null. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new InvalidJobException("\"" + field + "\" must be a string or a number, not " + v);
    }
    return v.asText();
  }

  /** ISO-8601 with a zone: {@code 2030-01-01T09:00:00Z} or {@code 2030-01-01T10:00:00+01:00}. */
  public static Instant instant(String value) {
    String v = value.trim();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new InvalidJobException("invalid time '" + value + "': use ISO-8601 with a zone,"
            + " such as 2030-01-01T09:00:00Z or 2030-01-01T10:00:00+01:00");
      }
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

  private static int wholeNumber(String field, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidJobException("\"" + field + "\" must be a whole number, not '" + v + "'");
    }
  }
}
