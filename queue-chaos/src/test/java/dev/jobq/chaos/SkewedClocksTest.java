package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: workers whose host clocks are ten minutes fast and ten minutes slow work beside one
 * whose clock is right. Were they to use their own clocks, the fast one's reaper would take
 * every live lease and its claims would start delayed jobs ten minutes early.
 */
class SkewedClocksTest extends ChaosScenario {
  private static final long TEN_MINUTES = Duration.ofMinutes(10).toMillis();
  /** How far Redis's time as a worker sees it may be off: the offset is measured per round trip. */
  private static final long TOLERANCE_MS = 100;

  @Test
  void workersWithClocksTenMinutesOffNeitherStealLeasesNorStartDelayedJobsEarly() {
    int jobs = 2_000 * SCALE;
    int delayed = 500 * SCALE;
    int longer = 30;
    fleet.launch("fast", new Fleet.Setup(redis.url(), 8, 1_500, TEN_MINUTES));
    fleet.launch("slow", new Fleet.Setup(redis.url(), 8, 1_500, -TEN_MINUTES));
    fleet.launch("right", direct(8, 1_500));
    awaitRegistered("fast", "slow", "right");

    List<String> ids = new ArrayList<>(enqueue(jobs, i -> work(5 + random.nextInt(20))));
    List<String> later = enqueue(delayed, i -> work(5).delay(Duration.ofMillis(500 + random.nextInt(2_500))));
    // Longer than a lease: only renewals keep them, and the fast reaper must not take them.
    List<String> slowOnes = enqueue(longer, i -> work(3_000));
    ids.addAll(later);
    ids.addAll(slowOnes);

    awaitAllFinished(ids.size(), Duration.ofSeconds(120));
    assertEveryJobCompletedOnce(ids);
    assertThat(ids.stream().map(this::job).filter(j -> j.errorClass() != null).map(Job::id))
        .as("jobs that lost a lease").isEmpty();
    Map<String, Long> firstStarts = ledger.firstStarts();
    for (String id : later) {
      long due = job(id).runAt().toEpochMilli();
      assertThat(firstStarts.get(id)).as("Redis time of the first start of delayed job %s", id)
          .isGreaterThanOrEqualTo(due - TOLERANCE_MS);
    }
    Map<String, Long> byWorker = ids.stream().map(id -> job(id).result())
        .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
    assertThat(byWorker).as("jobs completed per worker").containsOnlyKeys(
        "\"fast\"", "\"slow\"", "\"right\"");
    report(ids.size(), "host clocks +10 min, -10 min and right; " + delayed + " delayed jobs, none"
        + " started early; " + longer + " jobs twice the lease long; no lease lost; completed per"
        + " worker " + byWorker);
  }
}
