package dev.jobq;

import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The checks {@link JobClient} runs on its arguments before calling the broker. */
final class JobClientChecks {
  private JobClientChecks() {}

  static void checkBatchSize(List<JobRequest> requests) {
    if (requests.size() > JobClient.MAX_BATCH) {
      throw new InvalidJobException("batch of " + requests.size() + " jobs is over the limit of "
          + JobClient.MAX_BATCH + ": split it");
    }
  }

  /** Checks every payload, naming the job when the batch has several. */
  static void checkPayloads(List<JobRequest> requests, int maxPayloadBytes) {
    for (int i = 0; i < requests.size(); i++) {
      JobRequest r = Objects.requireNonNull(requests.get(i), "request " + i);
      try {
        Json.checkPayload(r.payload(), maxPayloadBytes);
      } catch (InvalidJobException e) {
        throw new InvalidJobException(
            (requests.size() > 1 ? "job " + i + " (" + r.id() + "): " : "") + e.getMessage());
      }
    }
  }

  static void checkPage(long offset, int limit) {
    if (offset < 0) {
      throw new InvalidJobException("offset is negative: " + offset);
    }
    if (limit < 1 || limit > 10_000) {
      throw new InvalidJobException("limit out of range 1..10000: " + limit);
    }
  }

  static int checkEventCount(int max) {
    if (max < 1 || max > 10_000) {
      throw new InvalidJobException("event count out of range 1..10000: " + max);
    }
    return max;
  }

  static long checkMaxDepth(long maxDepth) {
    if (maxDepth < 0) {
      throw new InvalidJobException("maximum depth is negative: " + maxDepth + "; use 0 for no limit");
    }
    return maxDepth;
  }

  static List<String> checkIds(Collection<String> ids) {
    List<String> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add(Names.checkJobId(id));
    }
    return out;
  }

  static Duration checkAge(Duration age) {
    if (age == null || age.isNegative()) {
      throw new InvalidJobException("age is negative or missing: " + age);
    }
    return age;
  }
}
