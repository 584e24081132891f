package dev.jobq;

import static dev.jobq.JobRequest.MAX_DELAY;
import static dev.jobq.JobRequest.MAX_HEADERS;
import static dev.jobq.JobRequest.MAX_HEADER_VALUE;
import static dev.jobq.JobRequest.MAX_PARENTS;
import static dev.jobq.JobRequest.MAX_TIMEOUT;
import static dev.jobq.JobRequest.MAX_UNIQUE_WINDOW;

import dev.jobq.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks {@link JobRequest.Builder#build} runs on each field: a bad value throws, naming it. */
final class JobRequestChecks {
  private JobRequestChecks() {}

  static Map<String, String> checkHeaders(Map<String, String> headers) {
    if (headers.size() > MAX_HEADERS) {
      throw new InvalidJobException(headers.size() + " headers are over the limit of "
          + MAX_HEADERS + ": put the data in the payload");
    }
    headers.forEach((name, value) -> {
      Names.checkType(name);
      if (value == null || value.length() > MAX_HEADER_VALUE) {
        throw new InvalidJobException("header '" + name + "' must have a value of at most "
            + MAX_HEADER_VALUE + " characters, got " + (value == null ? "null" : value.length()));
      }
    });
    return Map.copyOf(headers);
  }

  static String checkUniqueKey(String key) {
    if (key.isEmpty() || key.length() > Names.MAX_ID_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new InvalidJobException("uniqueness key '" + key + "' must be 1.." + Names.MAX_ID_LENGTH
          + " printable ASCII characters without spaces, such as report:2030-01-01:acme");
    }
    return key;
  }

  static Duration checkUniqueWindow(Duration window) {
    if (window == null || window.toMillis() < 1 || window.compareTo(MAX_UNIQUE_WINDOW) > 0) {
      throw new InvalidJobException("uniqueness window " + window + " must be from 1 ms to "
          + MAX_UNIQUE_WINDOW.toDays() + " days");
    }
    return window;
  }

  /** The distinct parents, in the order given. */
  static List<String> checkParents(String id, Collection<String> parents) {
    Set<String> distinct = new LinkedHashSet<>();
    for (String parent : parents) {
      Names.checkJobId(parent);
      if (parent.equals(id)) {
        throw new InvalidJobException("job " + id + " cannot depend on itself");
      }
      distinct.add(parent);
    }
    if (distinct.size() > MAX_PARENTS) {
      throw new InvalidJobException("job " + id + " depends on " + distinct.size()
          + " jobs, over the limit of " + MAX_PARENTS + ": chain them through fewer jobs");
    }
    return List.copyOf(distinct);
  }

  static Duration checkDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new InvalidJobException("delay is negative: " + delay + "; use zero to run now");
    }
    if (delay.compareTo(MAX_DELAY) > 0) {
      throw new InvalidJobException("delay " + delay + " is over the limit of " + MAX_DELAY);
    }
    return delay;
  }

  static Instant checkRunAt(Instant runAt) {
    if (runAt.isAfter(Instant.now().plus(MAX_DELAY))) {
      throw new InvalidJobException("run-at " + runAt + " is further away than the limit of "
          + MAX_DELAY + "; pick a nearer time");
    }
    return runAt;
  }

  static Duration checkTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InvalidJobException("timeout must be positive: " + timeout);
    }
    if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidJobException("timeout " + timeout + " is over the limit of " + MAX_TIMEOUT);
    }
    return timeout;
  }
}
