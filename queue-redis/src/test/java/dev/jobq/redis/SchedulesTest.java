package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Schedule;
import dev.jobq.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulesTest {
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<String> waitingIds() {
    return f.client.list("default", JobStatus.WAITING, 0, 100).jobs().stream().map(Job::id).toList();
  }

  private static String tickId(String name, Instant tick) {
    return name + "@" + tick.toEpochMilli();
  }

  @Test
  void eachTickFiresOnceAndMissedTicksFireOnceForTheLatest() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10),
        job("heartbeat.check").payload("{\"deep\":true}").maxAttempts(2)));

    assertThat(f.broker.fireDueSchedules("default")).as("not due yet").isZero();
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(f.broker.fireDueSchedules("default")).isEqualTo(1);
    assertThat(f.broker.fireDueSchedules("default")).as("the same tick again").isZero();
    f.clock.advance(Duration.ofSeconds(35)); // ticks at +20, +30, +40 missed

    assertThat(f.broker.fireDueSchedules("default")).isEqualTo(1);
    assertThat(waitingIds()).containsExactly(tickId("beat", Fixture.START.plusSeconds(10)),
        tickId("beat", Fixture.START.plusSeconds(40)));
    Job j = f.client.require("default", tickId("beat", Fixture.START.plusSeconds(40)));
    assertThat(j.type()).isEqualTo("heartbeat.check");
    assertThat(j.payload()).isEqualTo("{\"deep\":true}");
    assertThat(j.maxAttempts()).isEqualTo(2);
    assertThat(f.client.schedules()).singleElement().satisfies(p -> {
      assertThat(p.nextTick()).isEqualTo(Fixture.START.plusSeconds(50));
      assertThat(p.schedule().when()).isEqualTo("every 10s");
    });
  }

  @Test
  void manySchedulersAtOnceFireATickOnce() throws Exception {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    f.clock.advance(Duration.ofSeconds(10));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> f.broker.fireDueSchedules("default"));
      }
      int fired = 0;
      for (Future<Integer> r : pool.invokeAll(calls)) {
        fired += r.get();
      }
      assertThat(fired).isEqualTo(1);
      assertThat(waitingIds()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theLastFiringIsStoredAsProtocolMdSays() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    f.clock.advance(Duration.ofSeconds(10));
    f.broker.fireDueSchedules("default");

    JsonNode last = Json.tree(f.jedis.hget(new Keys(f.prefix, "default").scheduleLast(), "beat"));

    assertThat(last.get("at").asLong()).isEqualTo(Fixture.START.plusSeconds(10).toEpochMilli());
    assertThat(last.get("job").asText()).isEqualTo(tickId("beat", Fixture.START.plusSeconds(10)));
    assertThat(last.get("created").asBoolean()).isTrue();
    assertThat(last.get("triggered").isBoolean()).isTrue();
    assertThat(last.get("triggered").asBoolean()).isFalse();
  }

  /** enqueue.lua called as Schedules.trigger calls it, for job id {@code id}. */
  private Object trigger(String name, String definition, String id) {
    Keys k = new Keys(f.prefix, "default");
    List<String> args = List.of(Long.toString(f.clock.millis()), "1", "600000", "20",
        id, "x", "{}", "2", "3", "0", "0", name, "trigger", definition);
    f.jedis.scriptLoad(Script.ENQUEUE.source);
    return Replies.decoded(f.jedis.evalsha(Script.ENQUEUE.shaBytes, k.scriptKeys(),
        args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList()));
  }

  @Test
  void aTriggerOfAScheduleGoneEnqueuesNothingAndRecordsNothing() {
    Object answer = trigger("gone", "{}", "gone@1");

    assertThat(answer).isEqualTo(List.of(Reply.TICK_TAKEN.code));
    assertThat(f.storedIds("default")).doesNotContain("gone@1");
    assertThat(f.jedis.hexists(new Keys(f.prefix, "default").scheduleLast(), "gone")).isFalse();
  }

  @Test
  void aTriggerOfADefinitionReplacedMeanwhileEnqueuesNothing() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("old")));
    String read = f.jedis.hget(new Keys(f.prefix, "default").schedules(), "beat");
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("new")));

    assertThat(trigger("beat", read, "beat@1")).isEqualTo(List.of(Reply.TICK_TAKEN.code));
    assertThat(f.storedIds("default")).doesNotContain("beat@1");
    assertThat(f.jedis.hexists(new Keys(f.prefix, "default").scheduleLast(), "beat")).isFalse();

    String now = f.jedis.hget(new Keys(f.prefix, "default").schedules(), "beat");
    trigger("beat", now, "beat@2");
    assertThat(f.storedIds("default")).contains("beat@2");
  }

  @Test
  void aTriggerRecordsTheInstantItsJobIsNamedAfter() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    String id = f.client.triggerSchedule("default", "beat").orElseThrow().jobId();

    JsonNode last = Json.tree(f.jedis.hget(new Keys(f.prefix, "default").scheduleLast(), "beat"));
    assertThat(id).isEqualTo(tickId("beat", Instant.ofEpochMilli(last.get("at").asLong())));
    assertThat(last.get("triggered").asBoolean()).isTrue();
  }

  @Test
  void anUnreadableLastFiringIsShownAsNoneAndHidesNoSchedule() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    f.client.addSchedule(Schedule.every("pulse", Duration.ofSeconds(10), job("x")));
    f.client.triggerSchedule("default", "pulse");
    f.jedis.hset(new Keys(f.prefix, "default").scheduleLast(), "beat", "{\"at\":1}");

    assertThat(f.broker.schedules("default")).hasSize(2).satisfiesExactly(
        beat -> assertThat(beat.lastTick()).isNull(),
        pulse -> assertThat(pulse.lastTick()).isNotNull());
  }

  @Test
  void triggersRacingARemovalLeaveNoRecordBehind() throws Exception {
    String last = new Keys(f.prefix, "default").scheduleLast();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 10; round++) {
        f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
        f.clock.advance(Duration.ofMillis(1)); // a new job id each round
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(() -> f.client.triggerSchedule("default", "beat"));
        }
        calls.add(round % 8, () -> f.client.removeSchedule("default", "beat"));
        for (Future<Object> r : pool.invokeAll(calls)) {
          r.get();
        }
        assertThat(f.jedis.hexists(last, "beat")).as("round " + round).isFalse();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCronScheduleFiresAtItsLocalTimeAndStopsOnceRemoved() {
    // Fixture.START is 2030-01-01T00:00Z, 01:00 in Paris
    f.client.addSchedule(Schedule.cron("nightly", "0 3 * * *", ZoneId.of("Europe/Paris"),
        job("report").queue("reports")));
    assertThat(f.broker.schedules("reports").get(0).nextTick()).isEqualTo("2030-01-01T02:00:00Z");

    f.clock.advance(Duration.ofHours(2));
    assertThat(f.broker.fireDueSchedules("reports")).isEqualTo(1);
    assertThat(f.client.require("reports", "nightly@" + Instant.parse("2030-01-01T02:00:00Z")
        .toEpochMilli()).status()).isEqualTo(JobStatus.WAITING);

    assertThat(f.client.removeSchedule("reports", "nightly")).isTrue();
    assertThat(f.client.removeSchedule("reports", "nightly")).isFalse();
    f.clock.advance(Duration.ofDays(1));
    assertThat(f.broker.fireDueSchedules("reports")).isZero();
  }

  @Test
  void aFullQueueLeavesTheTickDueUntilThereIsRoom() {
    f.client.setMaxDepth("default", 1);
    f.client.enqueue(job("filler").build());
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    f.clock.advance(Duration.ofSeconds(10));

    assertThat(f.broker.fireDueSchedules("default")).as("logged, not thrown").isZero();
    assertThat(f.broker.schedules("default").get(0).nextTick())
        .isEqualTo(Fixture.START.plusSeconds(10));
    f.client.clear("default", false);
    assertThat(f.broker.fireDueSchedules("default")).isEqualTo(1);
  }

  @Test
  void aScheduledJobKeepsItsEscalation() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")
        .escalateTo(new dev.jobq.Escalation("y", null, null))));
    assertThat(f.broker.schedules("default").get(0).schedule().job().escalation())
        .isEqualTo(new dev.jobq.Escalation("y", null, null));
  }

  @Test
  void badSchedulesAreRefused() {
    assertThatThrownBy(() -> Schedule.every("a@b", Duration.ofMinutes(1), job("x")))
        .hasMessageContaining("without '@'");
    assertThatThrownBy(() -> Schedule.every("x".repeat(101), Duration.ofMinutes(1), job("x")))
        .hasMessageContaining("1..100 characters");
    assertThatThrownBy(() -> Schedule.every("fast", Duration.ofMillis(10), job("x")))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("shorter than 1 s");
    assertThatThrownBy(() -> Schedule.cron("bad", "every day", null, job("x")))
        .hasMessageContaining("five fields");
    assertThatThrownBy(() -> new Schedule("both", "* * * * *", null, Duration.ofMinutes(1),
        job("x").build())).hasMessageContaining("not both");
  }
}
