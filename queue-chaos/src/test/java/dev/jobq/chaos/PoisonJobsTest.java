package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: poison jobs among ordinary ones. First handlers that raise OutOfMemoryError or
 * StackOverflowError, or never return and ignore interrupts: no worker may die of them. Then
 * handlers that call System.exit, which no worker can survive: exited workers are replaced, as a
 * supervisor would, and the jobs must still end.
 */
class PoisonJobsTest extends ChaosScenario {
  private static final int ATTEMPTS = 2;
  private static final int PER_POISON = 3;
  private final AtomicInteger replaced = new AtomicInteger();

  @Test
  void poisonJobsAreDeadLetteredAfterTheirAttemptsAndNeverLoopForever() {
    int ordinary = 1_000 * SCALE;
    Fleet.Setup workers = direct(4, 1_000);
    for (String name : List.of("a", "b", "c")) {
      fleet.launch(name, workers);
    }
    awaitRegistered("a", "b", "c");

    List<String> ids = new ArrayList<>(enqueue(ordinary, i -> work(5 + random.nextInt(20))));
    String timedOut = "dev.jobq.worker.JobTimeoutException";
    // filling the heap takes longer than the poison's 300 ms timeout on a loaded machine: then
    // the timeout ends the attempt first, and the worker must survive it just the same
    Map<String, Set<String>> survivable = Map.of(
        "oom", Set.of(OutOfMemoryError.class.getName(), timedOut),
        "stack", Set.of(StackOverflowError.class.getName()),
        "deaf", Set.of(timedOut));
    survivable.forEach((kind, errors) ->
        assertDeadLettered(kind, poison(kind), errors, ATTEMPTS));
    awaitAllFinished(workers, ordinary + PER_POISON * survivable.size());
    assertThat(replaced.get()).as("workers that exited of OOM, stack overflow or deafness").isZero();

    ids.addAll(enqueue(ordinary, i -> work(5 + random.nextInt(20))));
    List<String> exits = poison("exit");
    int total = 2 * ordinary + PER_POISON * (survivable.size() + 1);
    awaitAllFinished(workers, total);
    // A worker may have claimed two of them: the second then loses an attempt without a run.
    // System.exit runs the worker's shutdown hook, which waits for running jobs, the exiting
    // one included: when that outlasts the job's timeout, the worker reports the timeout
    // before it dies, else the lease runs out.
    assertDeadLettered("exit", exits, Set.of("dev.jobq.LeaseExpired",
        "dev.jobq.worker.JobTimeoutException"), 1);
    long exitRuns = exits.stream().mapToLong(ledger.runs()::get).sum();
    assertThat(replaced.get()).as("workers that exited: at most one per run of an exit job")
        .isBetween(1, (int) exitRuns);

    for (String id : ids) {
      assertThat(job(id).status()).as("ordinary job %s", id).isEqualTo(JobStatus.COMPLETED);
    }
    assertThat(broker.stats(QUEUE).totalDeadLettered()).isEqualTo(PER_POISON * 4L);
    report(total, 2 * ordinary + " ordinary jobs and " + PER_POISON + " each of OutOfMemoryError,"
        + " StackOverflowError, deaf to interrupts, System.exit (" + ATTEMPTS + " attempts each):"
        + " all poison dead-lettered, all ordinary completed; " + replaced.get() + " worker JVMs"
        + " ended by System.exit and replaced, none by the other poisons");
  }

  private List<String> poison(String kind) {
    return enqueue(PER_POISON, i -> request("{\"poison\":\"" + kind + "\"}")
        .maxAttempts(ATTEMPTS).timeout(Duration.ofMillis(300)));
  }

  /** Waits until every job ended, replacing workers that exit meanwhile. */
  private void awaitAllFinished(Fleet.Setup workers, int jobs) {
    await().atMost(Duration.ofSeconds(120)).ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> {
          replaced.addAndGet(fleet.replaceExited(workers));
          var s = broker.stats(QUEUE);
          return s.completed() + s.failed() == jobs;
        });
  }

  private void assertDeadLettered(String kind, List<String> ids, Set<String> errors, int minRuns) {
    await().atMost(Duration.ofSeconds(60)).until(() ->
        ids.stream().allMatch(id -> job(id).status() == JobStatus.FAILED));
    Map<String, Long> runs = ledger.runs();
    for (String id : ids) {
      Job j = job(id);
      assertThat(j.attempt()).as("attempts of %s job %s", kind, id).isEqualTo(ATTEMPTS);
      assertThat(j.errorClass()).as("error of %s job %s", kind, id).isIn(errors);
      assertThat(runs.get(id)).as("runs of %s job %s", kind, id).isBetween((long) minRuns, (long) ATTEMPTS);
    }
  }
}
