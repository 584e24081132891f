package dev.jobq.cli;

import dev.jobq.worker.Worker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's {@code --queues}: {@code critical,default} in strict priority order, or
 * {@code critical:5,default:1} weighted. Names and weights are checked by the worker's builder.
 */
record QueueSpec(List<String> strict, Map<String, Integer> weights) {

  static QueueSpec parse(String text) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        throw bad(text, "an empty queue name");
      }
      int colon = p.indexOf(':');
      if (colon < 0) {
        names.add(p);
      } else {
        weights.put(p.substring(0, colon).trim(), weight(text, p.substring(colon + 1).trim()));
      }
    }
    if (!names.isEmpty() && !weights.isEmpty()) {
      throw bad(text, "some queues have a weight and some do not; give every queue one, or none");
    }
    return weights.isEmpty() ? new QueueSpec(names, null) : new QueueSpec(null, weights);
  }

  void applyTo(Worker.Builder b) {
    if (weights != null) {
      b.weightedQueues(weights);
    } else {
      b.queues(strict);
    }
  }

  @Override
  public String toString() {
    if (weights == null) {
      return String.join(",", strict) + (strict.size() > 1 ? " (strict order)" : "");
    }
    List<String> parts = new ArrayList<>();
    weights.forEach((q, w) -> parts.add(q + ":" + w));
    return String.join(",", parts) + " (weighted)";
  }

  private static int weight(String text, String w) {
    try {
      return Integer.parseInt(w);
    } catch (NumberFormatException e) {
      throw bad(text, "weight '" + w + "' is not a whole number");
    }
  }

  private static UsageError bad(String text, String why) {
    return new UsageError("invalid queues '" + text + "': " + why
        + "; use q1,q2 (strict order) or q1:3,q2:1 (weighted)");
  }
}
