package dev.jobq.worker;

import dev.jobq.InvalidJobException;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks behind {@link Worker.Builder#build()}: each message names the setting and value. */
final class Checks {
  private static final int MAX_NAME_LENGTH = 200;

  private Checks() {}

  static List<String> queues(List<String> queues) {
    if (queues == null || queues.isEmpty()) {
      throw new IllegalArgumentException("no queues: give at least one, such as \"default\"");
    }
    Set<String> seen = new HashSet<>();
    for (String q : queues) {
      queue(q);
      if (!seen.add(q)) {
        throw new IllegalArgumentException("queue '" + q + "' is listed twice in " + queues);
      }
    }
    return List.copyOf(queues);
  }

  static Map<String, Integer> weights(Map<String, Integer> weights, int max) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no queues: give at least one weighted queue");
    }
    weights.forEach((q, w) -> {
      queue(q);
      if (w == null || w < 1 || w > max) {
        throw new IllegalArgumentException(
            "weight of queue '" + q + "' out of range 1.." + max + ": " + w);
      }
    });
    return weights;
  }

  private static void queue(String q) {
    try {
      Names.checkQueue(q);
    } catch (InvalidJobException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  static void range(String what, int value, int min, int max) {
    if (value < min) {
      throw new IllegalArgumentException(what + " < " + min + ": " + value);
    }
    if (value > max) {
      throw new IllegalArgumentException(what + " > " + max + ": " + value);
    }
  }

  static void atLeast(String what, Duration value, Duration min) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          what + " < " + min.toMillis() + " ms: " + value.toMillis() + " ms");
    }
  }

  /** Renewals must come often enough that one missed renewal does not lose the lease. */
  static void heartbeat(Duration heartbeat, Duration lease) {
    atLeast("heartbeat interval", heartbeat, Duration.ofMillis(10));
    if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
      throw new IllegalArgumentException("heartbeat interval " + heartbeat.toMillis()
          + " ms is over half the lease " + lease.toMillis() + " ms: leases would expire between"
          + " renewals; shorten the interval or lengthen the lease");
    }
  }

  static String name(String name, Pattern pattern) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
        || !pattern.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid worker name '" + name + "': use up to "
          + MAX_NAME_LENGTH + " letters, digits and . _ : @ / + = -, starting with a letter or digit");
    }
    return name;
  }
}
