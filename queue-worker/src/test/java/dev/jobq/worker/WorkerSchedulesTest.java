package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobRequest;
import dev.jobq.Schedule;
import java.time.Duration;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A recurring job fired by two worker JVMs, one of them killed with SIGKILL on the way: every
 * tick is enqueued once, and the survivor goes on firing without a gap.
 */
class WorkerSchedulesTest extends WorkerProcessTestSupport {
  private static final long TICK_MS = 1_000;

  /** The ticks whose job started, from the ids "beat@<ms>" the handler recorded. */
  private TreeSet<Long> ticksRun() {
    return runs().stream().map(l -> l.split(" ")[0])
        .filter(id -> id.startsWith("beat@")).map(id -> Long.parseLong(id.substring(5)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyTickFiresOnceWhileSchedulersComeAndGo() {
    Process doomed = workers.launch("doomed", 2, 1_000, 1_000);
    Process survivor = workers.launch("survivor", 2, 1_000, 1_000);
    awaitRegistered(doomed, survivor);
    client.addSchedule(Schedule.every("beat", Duration.ofMillis(TICK_MS),
        JobRequest.builder(WorkerProcessMain.TYPE).queue(QUEUE).payload("{\"ms\":1}")));

    await().atMost(PATIENCE).until(() -> ticksRun().size() >= 3);
    doomed.destroyForcibly();
    int before = ticksRun().size();
    await().atMost(PATIENCE).until(() -> ticksRun().size() >= before + 4);
    client.removeSchedule(QUEUE, "beat");

    // a tick whose job the doomed worker held when it died runs again once its lease ends:
    // wait for that, and a tick never enqueued keeps the gap open until the deadline fails
    await().atMost(PATIENCE).untilAsserted(() -> {
      TreeSet<Long> ticks = ticksRun();
      long first = ticks.first();
      assertThat(ticks).as("one tick per second from the first, none missed")
          .allSatisfy(t -> assertThat((t - first) % TICK_MS).isZero())
          .hasSize((int) ((ticks.last() - first) / TICK_MS) + 1);
    });
    assertThat(runs().stream().filter(l -> l.contains(" 1 ")).map(l -> l.split(" ")[0]))
        .as("each tick's job started once on its first attempt").doesNotHaveDuplicates();
  }
}
