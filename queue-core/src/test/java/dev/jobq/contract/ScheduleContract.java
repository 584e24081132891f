package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.QueueFullException;
import dev.jobq.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recurring jobs: {@code putSchedule}, {@code schedules}, {@code fireDueSchedules} (each tick
 * once, missed ticks once for the latest, the job named {@code name@tick}), {@code
 * triggerSchedule}, the last firing each records, and {@code removeSchedule}.
 */
public interface ScheduleContract extends BrokerUnderTest {

  private static String tickId(String name, Instant tick) {
    return name + "@" + tick.toEpochMilli();
  }

  private List<String> waitingIds() {
    return broker().list(QUEUE, JobStatus.WAITING, 0, 100).jobs().stream().map(Job::id).toList();
  }

  @Test
  default void aNewScheduleIsListedWithItsFirstTickAfterNow() {
    Schedule beat = Schedule.every("beat", Duration.ofSeconds(10), job("heartbeat.check"));
    broker().putSchedule(beat);

    assertThat(broker().schedules(QUEUE)).singleElement().satisfies(p -> {
      assertThat(p.schedule().name()).isEqualTo("beat");
      assertThat(p.schedule().every()).isEqualTo(Duration.ofSeconds(10));
      assertThat(p.schedule().job().type()).isEqualTo("heartbeat.check");
      assertThat(p.nextTick()).isEqualTo(START.plusSeconds(10));
    });
    assertThat(broker().schedules("other")).isEmpty();
  }

  @Test
  default void eachTickFiresOnceAsAJobNamedAfterIt() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10),
        job("heartbeat.check").payload("{\"deep\":true}").maxAttempts(2)));

    assertThat(broker().fireDueSchedules(QUEUE)).as("not due yet").isZero();
    advance(Duration.ofSeconds(10));
    assertThat(broker().fireDueSchedules(QUEUE)).isOne();
    assertThat(broker().fireDueSchedules(QUEUE)).as("the same tick again").isZero();

    Job j = stored(tickId("beat", START.plusSeconds(10)));
    assertThat(j.type()).isEqualTo("heartbeat.check");
    assertThat(j.payload()).isEqualTo("{\"deep\":true}");
    assertThat(j.maxAttempts()).isEqualTo(2);
    assertThat(broker().schedules(QUEUE).get(0).nextTick()).isEqualTo(START.plusSeconds(20));
  }

  @Test
  default void missedTicksFireOnceForTheLatest() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    advance(Duration.ofSeconds(45));

    assertThat(broker().fireDueSchedules(QUEUE)).isOne();

    assertThat(waitingIds()).containsExactly(tickId("beat", START.plusSeconds(40)));
    assertThat(broker().schedules(QUEUE).get(0).nextTick()).isEqualTo(START.plusSeconds(50));
  }

  @Test
  default void aCronScheduleFiresAtItsLocalTime() {
    // START is 2030-01-01T00:00Z, 01:00 in Paris
    broker().putSchedule(Schedule.cron("nightly", "0 3 * * *", ZoneId.of("Europe/Paris"),
        job("report").queue("reports")));
    Instant tick = Instant.parse("2030-01-01T02:00:00Z");
    assertThat(broker().schedules("reports").get(0).nextTick()).isEqualTo(tick);

    advance(Duration.ofHours(2));

    assertThat(broker().fireDueSchedules("reports")).isOne();
    assertThat(stored("reports", tickId("nightly", tick)).status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  default void aRemovedScheduleFiresNoMore() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));

    assertThat(broker().removeSchedule(QUEUE, "beat")).isTrue();
    assertThat(broker().removeSchedule(QUEUE, "beat")).isFalse();
    assertThat(broker().removeSchedule(QUEUE, "never")).isFalse();

    advance(Duration.ofMinutes(1));
    assertThat(broker().fireDueSchedules(QUEUE)).isZero();
    assertThat(broker().schedules(QUEUE)).isEmpty();
  }

  @Test
  default void puttingAScheduleOfTheSameNameReplacesIt() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    broker().putSchedule(Schedule.every("beat", Duration.ofMinutes(1), job("y")));

    assertThat(broker().schedules(QUEUE)).singleElement().satisfies(p -> {
      assertThat(p.schedule().job().type()).isEqualTo("y");
      assertThat(p.nextTick()).isEqualTo(START.plusSeconds(60));
    });
    advance(Duration.ofSeconds(10));
    assertThat(broker().fireDueSchedules(QUEUE)).isZero();
  }

  @Test
  default void schedulesAreListedByName() {
    broker().putSchedule(Schedule.every("zeta", Duration.ofSeconds(10), job("x")));
    broker().putSchedule(Schedule.every("alpha", Duration.ofSeconds(10), job("x")));

    assertThat(broker().schedules(QUEUE)).extracting(p -> p.schedule().name())
        .containsExactly("alpha", "zeta");
  }

  @Test
  default void aFullQueueLeavesTheTickDueUntilThereIsRoom() {
    broker().setMaxDepth(QUEUE, 1);
    enqueued("filler");
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    advance(Duration.ofSeconds(10));

    assertThat(broker().fireDueSchedules(QUEUE)).isZero();
    assertThat(broker().schedules(QUEUE).get(0).nextTick()).isEqualTo(START.plusSeconds(10));
    assertThat(broker().schedules(QUEUE).get(0).lastTick()).as("refused: not fired").isNull();

    broker().clear(QUEUE, false, false);
    assertThat(broker().fireDueSchedules(QUEUE)).isOne();
  }

  @Test
  default void aTickRecordsWhenItFiredAndTheJobItEnqueued() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    assertThat(broker().schedules(QUEUE).get(0).lastTick()).as("never fired").isNull();

    advance(Duration.ofSeconds(25));
    assertThat(broker().fireDueSchedules(QUEUE)).isOne();

    assertThat(broker().schedules(QUEUE).get(0).lastTick()).isEqualTo(new Schedule.LastTick(
        START.plusSeconds(25), tickId("beat", START.plusSeconds(20)), true, false));
  }

  @Test
  default void aTickWhoseJobIdIsTakenRecordsTheJobKeptAsNotCreated() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    String id = tickId("beat", START.plusSeconds(10));
    enqueued(id);
    advance(Duration.ofSeconds(10));

    assertThat(broker().fireDueSchedules(QUEUE)).isOne();

    assertThat(broker().schedules(QUEUE).get(0).lastTick()).isEqualTo(
        new Schedule.LastTick(START.plusSeconds(10), id, false, false));
    assertThat(broker().schedules(QUEUE).get(0).nextTick()).isEqualTo(START.plusSeconds(20));
  }

  @Test
  default void triggeringEnqueuesTheJobNowAndLeavesTheNextTick() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10),
        job("heartbeat.check").payload("{\"deep\":true}")));
    advance(Duration.ofSeconds(3));

    EnqueueResult r = broker().triggerSchedule(QUEUE, "beat").orElseThrow();

    String id = tickId("beat", START.plusSeconds(3));
    assertThat(r.jobId()).isEqualTo(id);
    assertThat(r.created()).isTrue();
    assertThat(stored(id).payload()).isEqualTo("{\"deep\":true}");
    Schedule.Planned p = broker().schedules(QUEUE).get(0);
    assertThat(p.lastTick()).isEqualTo(new Schedule.LastTick(START.plusSeconds(3), id, true, true));
    assertThat(p.nextTick()).isEqualTo(START.plusSeconds(10));

    EnqueueResult again = broker().triggerSchedule(QUEUE, "beat").orElseThrow();
    assertThat(again.created()).as("the same instant: the job stays").isFalse();
    assertThat(broker().schedules(QUEUE).get(0).lastTick().created()).isFalse();
  }

  @Test
  default void triggeringAnUnknownScheduleEnqueuesAndRecordsNothing() {
    assertThat(broker().triggerSchedule(QUEUE, "never")).isEmpty();
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    broker().removeSchedule(QUEUE, "beat");

    assertThat(broker().triggerSchedule(QUEUE, "beat")).isEmpty();
    assertThat(waitingIds()).isEmpty();
  }

  @Test
  default void aTriggerRefusedByAFullQueueRecordsNothing() {
    broker().setMaxDepth(QUEUE, 1);
    enqueued("filler");
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));

    assertThatThrownBy(() -> broker().triggerSchedule(QUEUE, "beat"))
        .isInstanceOf(QueueFullException.class);
    assertThat(broker().schedules(QUEUE).get(0).lastTick()).isNull();
  }

  @Test
  default void removingAScheduleForgetsItsLastFiring() {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    advance(Duration.ofSeconds(10));
    broker().fireDueSchedules(QUEUE);
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("y")));
    assertThat(broker().schedules(QUEUE).get(0).lastTick()).as("kept when replaced").isNotNull();

    broker().removeSchedule(QUEUE, "beat");
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));

    assertThat(broker().schedules(QUEUE).get(0).lastTick()).isNull();
  }
}
