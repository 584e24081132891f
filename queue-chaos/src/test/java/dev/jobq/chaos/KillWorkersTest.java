package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario 1: worker JVMs killed with SIGKILL, one after another, while four work a queue. */
class KillWorkersTest extends ChaosScenario {
  private static final int WORKERS = 4;
  private static final int KILLS = 8;

  @Test
  void killingRandomWorkersRepeatedlyLosesNoJobAndCompletesEachOnce() {
    int jobs = 3_000 * SCALE;
    Fleet.Setup setup = direct(8, 2_000);
    for (int i = 0; i < WORKERS; i++) {
      fleet.launch("w" + i, setup);
    }
    List<String> ids = enqueue(jobs, i -> work(5 + random.nextInt(20)));

    int generation = WORKERS;
    for (int kill = 0; kill < KILLS; kill++) {
      // Kill only once the queue is well under way again, so each kill hits running jobs.
      long target = (long) jobs * (kill + 1) / (KILLS + 2);
      await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats(QUEUE).completed() >= target);
      List<String> alive = fleet.names().stream().filter(n -> fleet.process(n).isAlive()).toList();
      String victim = alive.get(random.nextInt(alive.size()));
      fleet.kill(victim);
      fleet.launch("w" + generation++, setup); // the replacement a supervisor would start
    }

    awaitAllFinished(jobs, Duration.ofSeconds(120));
    assertEveryJobCompletedOnce(ids);
    long recovered = ids.stream().map(this::job)
        .filter(j -> "dev.jobq.LeaseExpired".equals(j.errorClass())).count();
    assertThat(recovered).as("jobs taken back from killed workers").isPositive();
    for (String id : ids) {
      Job j = job(id);
      assertThat(j.attempt()).as("attempts of %s", id).isLessThan(j.maxAttempts());
    }
    assertThat(ledger.runs().values().stream().mapToLong(Long::longValue).sum())
        .as("handler starts: one per job plus one per recovery").isGreaterThanOrEqualTo(jobs);
    report(jobs, KILLS + " kills -9 of 4 workers x 8 threads; " + recovered
        + " jobs recovered from dead workers; " + rerunJobs() + " ran twice or more");
  }
}
