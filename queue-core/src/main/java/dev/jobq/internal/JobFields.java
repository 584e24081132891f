package dev.jobq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job as a JSON object, as {@code jobq enqueue --stdin} lines and the HTTP API take it:
 * {@code {"type":…,"payload":…,"queue":…,"priority":…,"delay":"5s","runAt":…,"maxAttempts":…,
 * "backoff":…,"timeout":…,"id":…,"replaceFinished":true}}. One set of field rules for both.
 */
public final class JobFields {
  public static final Set<String> FIELDS = new TreeSet<>(Set.of("type", "payload", "queue",
      "priority", "delay", "runAt", "maxAttempts", "backoff", "timeout", "id", "replaceFinished"));

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
