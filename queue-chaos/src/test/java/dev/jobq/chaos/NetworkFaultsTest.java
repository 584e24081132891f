package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.redis.RedisProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: two workers reach Redis through a {@link RedisProxy}, a third directly. The proxy
 * first stalls (every byte held, connections open) and then cuts (connections dropped, new ones
 * refused), each time for longer than the lease, and then lets traffic through again.
 */
class NetworkFaultsTest extends ChaosScenario {
  private static final String[] BEHIND_PROXY = {"p0", "p1"};
  private RedisProxy proxy;

  @BeforeEach
  void startProxy() throws Exception {
    proxy = new RedisProxy(redis.host(), redis.port());
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close();
  }

  @Test
  void workersCutOffPastTheirLeasesReconnectAndTheirLateOutcomesAreRefused() {
    int jobs = 3_000 * SCALE;
    Fleet.Setup viaProxy = new Fleet.Setup(proxy.url(), 8, 1_500, 0);
    fleet.launch("p0", viaProxy);
    fleet.launch("p1", viaProxy);
    fleet.launch("d0", direct(8, 1_500));
    awaitRegistered("p0", "p1", "d0");
    List<String> ids = enqueue(jobs, i -> work(10 + random.nextInt(40)));
    List<Held> stalled = breakWhileHolding(jobs / 4, proxy::stall);
    List<Held> cut = breakWhileHolding(jobs / 2, proxy::cut);

    awaitAllFinished(jobs, Duration.ofSeconds(120));
    assertEveryJobCompletedOnce(ids);
    assertThat(ledger.completions()).as("every completion heard of, by one worker").hasSize(jobs);
    for (Held h : concat(stalled, cut)) {
      assertThat(job(h.id()).attempt()).as("attempts of %s", h.id()).isGreaterThan(h.attempt());
    }
    // Both reconnected by themselves and completed jobs after the last fault.
    for (String w : BEHIND_PROXY) {
      String log = fleet.log(w);
      assertThat(log.indexOf(" completed in ", log.lastIndexOf("Redis is reachable again")))
          .as("worker %s worked on after the network came back", w).isPositive();
    }
    report(jobs, "2 of 3 workers behind a proxy: stalled with " + stalled.size()
        + " jobs held, then cut with " + cut.size() + ", each past a 1.5 s lease; each held job"
        + " re-run once, every late outcome refused, both reconnected by themselves");
  }

  /**
   * Once {@code completed} jobs are done, breaks the network of the proxied workers, waits until
   * the direct worker's reaper took their jobs back, lets the network work again and waits until
   * each cut-off worker let go of its jobs; returns the jobs they held.
   */
  private List<Held> breakWhileHolding(int completed, Runnable fault) {
    await().atMost(Duration.ofSeconds(60)).until(() ->
        broker.stats(QUEUE).completed() >= completed && !heldBy(BEHIND_PROXY).isEmpty());
    fault.run();
    List<Held> held = awaitTakenBack(heldBy(BEHIND_PROXY));
    proxy.resume();
    awaitLetGo(held);
    return held;
  }

  private static List<Held> concat(List<Held> a, List<Held> b) {
    List<Held> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
