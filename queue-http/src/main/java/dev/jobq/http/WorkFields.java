package dev.jobq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.internal.Durations;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and checks the fields of the workers' bodies (claim, heartbeat, progress, complete, fail,
 * release). Every refusal is a 400 naming the field, the value and what to do; it is thrown
 * before the broker is called, so a refused request changes nothing.
 */
final class WorkFields {
  static final int MAX_WORKER_CHARS = 200;

  private final JsonNode node;

  private WorkFields(JsonNode node) {
    this.node = node;
  }

  /** The body as a JSON object whose fields are all among {@code allowed}. */
  static WorkFields read(String body, Set<String> allowed) {
    if (body == null || body.isBlank()) {
      throw Problem.badRequest("the body is empty: give a JSON object with the fields "
          + new TreeSet<>(allowed));
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new Problem(400, "malformed-json", "Malformed JSON", "the body is not valid JSON"
          + " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "; nothing was changed");
    }
    return checked(root, "the body", allowed);
  }

  /** The object in field {@code name}, required, whose fields are all among {@code allowed}. */
  WorkFields object(String name, Set<String> allowed) {
    return checked(node.get(name), "\"" + name + "\"", allowed);
  }

  /** Element {@code index} of the array in field {@code name}: an object of the allowed fields. */
  WorkFields element(String name, int index, Set<String> allowed) {
    return checked(node.get(name).get(index), "\"" + name + "\" [" + index + "]", allowed);
  }

  private static WorkFields checked(JsonNode object, String what, Set<String> allowed) {
    if (object == null || !object.isObject()) {
      throw Problem.badRequest(what + " is " + object + ", not a JSON object: give one with the"
          + " fields " + new TreeSet<>(allowed));
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw Problem.badRequest("unknown field '" + Names.printable(name) + "' in " + what
            + "; the fields are " + new TreeSet<>(allowed));
      }
    }
    return new WorkFields(object);
  }

  boolean has(String name) {
    return node.has(name);
  }

  JsonNode node(String name) {
    return node.get(name);
  }

  /** The lease token the claim gave: a whole number, 0 or more. */
  long token() {
    JsonNode v = node.get("token");
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw Problem.badRequest("\"token\" is " + v + ": give the job's lease token as the claim"
          + " answered it, a whole number (0 or more)");
    }
    return v.asLong();
  }

  /** The worker's name: required, 1 to 200 characters. */
  String worker() {
    String w = text("worker", true);
    if (w.isBlank() || w.length() > MAX_WORKER_CHARS) {
      throw Problem.badRequest("\"worker\" is '" + Names.printable(w) + "': give the worker's"
          + " name, 1 to " + MAX_WORKER_CHARS + " characters, such as host-1/agent-3");
    }
    return w;
  }

  /** A string field; null when absent and not required. */
  String text(String name, boolean required) {
    JsonNode v = node.get(name);
    if (v == null && !required) {
      return null;
    }
    if (v == null || !v.isTextual()) {
      throw Problem.badRequest("\"" + name + "\" is " + v + ": give a string");
    }
    return v.asText();
  }

  /**
   * A whole number from {@code min} to {@code max}, or {@code absent} when the field is not
   * there.
   */
  long whole(String name, long min, long max, long absent) {
    return node.has(name) ? whole(name, min, max) : absent;
  }

  /** A whole number from {@code min} to {@code max}, required. */
  long whole(String name, long min, long max) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min
        || v.asLong() > max) {
      throw Problem.badRequest("\"" + name + "\" is " + v + ": give a whole number from " + min
          + " to " + max);
    }
    return v.asLong();
  }

  /** A duration such as "30s" from {@code min} to {@code max}, or {@code absent}. */
  Duration duration(String name, Duration min, Duration max, Duration absent) {
    JsonNode v = node.get(name);
    if (v == null) {
      return absent;
    }
    String range = " from " + Durations.format(min) + " to " + Durations.format(max);
    if (!v.isTextual()) {
      throw Problem.badRequest("\"" + name + "\" is " + v + ": give a duration" + range
          + ", such as \"" + Durations.format(absent == null ? min : absent) + "\"");
    }
    Duration d;
    try {
      d = Durations.parse(v.asText());
    } catch (InvalidJobException e) {
      throw Problem.badRequest("\"" + name + "\": " + e.getMessage());
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw Problem.badRequest("\"" + name + "\" is '" + Names.printable(v.asText())
          + "': give a duration" + range);
    }
    return d;
  }
}
