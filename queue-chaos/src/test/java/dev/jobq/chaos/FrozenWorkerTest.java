package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: a worker frozen with SIGSTOP (a long GC pause, a VM migration) past its leases,
 * then resumed with SIGCONT while three others go on.
 */
class FrozenWorkerTest extends ChaosScenario {
  @Test
  void frozenWorkersLateCompletionsAreRefusedAndItsJobsAreFinishedElsewhereOnce() {
    int jobs = 3_000 * SCALE;
    Fleet.Setup setup = direct(8, 1_500);
    for (String name : List.of("frozen", "a", "b", "c")) {
      fleet.launch(name, setup);
    }
    awaitRegistered("frozen", "a", "b", "c");
    List<String> ids = enqueue(jobs, i -> work(10 + random.nextInt(40)));
    await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats(QUEUE).completed() >= jobs / 4);

    // Freeze it in the midst of jobs: what it holds once stopped, it cannot finish before SIGCONT.
    List<Held> frozenHeld = new ArrayList<>();
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      fleet.signal("STOP", "frozen");
      frozenHeld.addAll(heldBy("frozen"));
      if (frozenHeld.isEmpty()) {
        fleet.signal("CONT", "frozen");
      }
      return !frozenHeld.isEmpty();
    });
    // its leases expired, the others' reapers took them back
    List<Held> held = awaitTakenBack(frozenHeld);
    fleet.signal("CONT", "frozen");
    awaitLetGo(held);

    awaitAllFinished(jobs, Duration.ofSeconds(120));
    assertEveryJobCompletedOnce(ids);
    assertThat(ledger.completions()).as("every completion heard of, by one worker").hasSize(jobs);
    for (Held h : held) {
      assertThat(job(h.id()).attempt()).as("attempts of %s", h.id()).isGreaterThan(h.attempt());
      assertThat(job(h.id()).errorClass()).isEqualTo("dev.jobq.LeaseExpired");
    }
    assertThat(fleet.process("frozen").isAlive()).isTrue();
    report(jobs, "SIGSTOP of 1 of 4 workers holding " + held.size() + " jobs, past a 1.5 s lease;"
        + " each re-run once elsewhere, every late outcome refused");
  }
}
