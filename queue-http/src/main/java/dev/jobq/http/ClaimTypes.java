package dev.jobq.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.internal.Names;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The job types a claim takes ({@code "types"}): an agent that runs only some types names them,
 * and jobs of other types stay waiting, in order, for other workers. Absent, null or empty: any
 * type.
 */
final class ClaimTypes {
  /** Enough for any one agent; the broker looks each waiting job's type up in this set. */
  static final int MAX_TYPES = 50;

  private ClaimTypes() {}

  /** The types in the claim's body, each checked as a job type; empty for any type. */
  static Set<String> read(WorkFields f) {
    JsonNode types = f.has("types") ? f.node("types") : null;
    if (types == null || types.isNull()) {
      return Set.of();
    }
    if (!types.isArray()) {
      throw Problem.badRequest("\"types\" is " + types + ": give an array of job types, such as"
          + " [\"email.send\"], or leave it out to take jobs of any type");
    }
    if (types.size() > MAX_TYPES) {
      throw Problem.badRequest("\"types\" has " + types.size() + " entries: give at most "
          + MAX_TYPES + " job types");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < types.size(); i++) {
      out.add(type(types.get(i), i));
    }
    return out;
  }

  private static String type(JsonNode v, int i) {
    if (!v.isTextual()) {
      throw Problem.badRequest("\"types\"[" + i + "] is " + v + ": give a job type as a string");
    }
    try {
      return Names.checkType(v.asText());
    } catch (InvalidJobException e) {
      throw Problem.badRequest("\"types\"[" + i + "]: " + e.getMessage());
    }
  }
}
