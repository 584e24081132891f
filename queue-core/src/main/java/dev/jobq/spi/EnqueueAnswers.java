package dev.jobq.spi;

import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What every broker answers an enqueue the same way, written once: the requests split by
 * queue (one atomic call each) with the answers put back in the requests' order, and the wait
 * estimate (docs/PROTOCOL.md).
 */
public final class EnqueueAnswers {
  private static final long WINDOW_MS = 5 * 60_000;

  private EnqueueAnswers() {}

  /**
   * Calls {@code oneQueue} once per queue with that queue's requests, in their order, and
   * answers the results in the order of {@code requests}.
   */
  public static List<EnqueueResult> perQueue(List<JobRequest> requests,
      BiFunction<String, List<JobRequest>, List<EnqueueResult>> oneQueue) {
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      byQueue.computeIfAbsent(requests.get(i).queue(), q -> new ArrayList<>()).add(i);
    }
    EnqueueResult[] results = new EnqueueResult[requests.size()];
    for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
      List<JobRequest> batch = e.getValue().stream().map(requests::get).toList();
      List<EnqueueResult> answered = oneQueue.apply(e.getKey(), batch);
      for (int i = 0; i < batch.size(); i++) {
        results[e.getValue().get(i)] = answered.get(i);
      }
    }
    return Arrays.asList(results);
  }

  /**
   * A job's expected wait: a delayed job's delay; a waiting one's place in line over the jobs
   * the queue completed in the last 5 minutes ({@code completedRecently}); null when that is 0
   * or the job does not wait.
   */
  public static Duration estimatedWait(JobStatus status, long position, long completedRecently,
      long delayMs) {
    if (status == JobStatus.DELAYED) {
      return Duration.ofMillis(Math.max(0, delayMs));
    }
    if (status != JobStatus.WAITING || completedRecently == 0) {
      return null;
    }
    return Duration.ofMillis(position * WINDOW_MS / completedRecently);
  }
}
