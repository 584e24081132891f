package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.JobqException;
import dev.jobq.redis.DoctorReport.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A queue as jobq before 0.2 wrote it: a hash per job, sorted wait sets scored by a sequence. */
class LayoutUpgradeTest {
  final Fixture f = new Fixture();
  final Keys k = new Keys(f.prefix, "old");
  final long start = Fixture.START.toEpochMilli();

  @AfterEach
  void close() {
    f.close();
  }

  private void writeEarlierLayout() {
    f.jedis.sadd(f.prefix + ":queues", "old");
    f.jedis.hset(k.meta(), "seq", "3");
    oldJob("second", Map.of("status", "WAITING", "seq", "2"));
    oldJob("first", Map.of("status", "WAITING", "seq", "1", "attempt", "0", "token", "0"));
    oldJob("urgent", Map.of("status", "WAITING", "seq", "3", "pri", "0"));
    oldJob("done", Map.of("status", "COMPLETED", "attempt", "1", "token", "1",
        "result", "{\"n\":1}", "finished_at", Long.toString(start)));
    f.jedis.pexpire(k.base + "job:done", 60_000);
    oldJob("later", Map.of("status", "DELAYED", "run_at", Long.toString(start + 60_000)));
    f.jedis.zadd(k.waiting(2), Map.of("first", 1.0, "second", 2.0));
    f.jedis.zadd(k.waiting(0), 3, "urgent");
    f.jedis.zadd(k.completed(), start, "done");
    // a finished job whose hash expired before its index entry went, as the earlier layout let
    f.jedis.zadd(k.completed(), start - 1, "expired");
    f.jedis.zadd(k.delayed(), start + 60_000, "later");
  }

  private void oldJob(String id, Map<String, String> fields) {
    String key = k.base + "job:" + id;
    f.jedis.hset(key, Map.of("id", id, "type", "t", "payload", "{}", "pri", "2",
        "max_attempts", "3", "created_at", Long.toString(start)));
    f.jedis.hset(key, fields);
  }

  @Test
  void aQueueOfTheEarlierLayoutIsRefusedWithWhatToDo() {
    writeEarlierLayout();

    assertThatThrownBy(() -> f.client.get("old", "first"))
        .isInstanceOf(JobqException.class)
        .hasMessageContaining("queue 'old' was written by jobq before 0.2")
        .hasMessageContaining("jobq doctor --repair");
    DoctorReport seen = f.broker.tools().doctor("old", false);
    assertThat(seen.healthy()).isFalse();
    assertThat(seen.findings()).singleElement().extracting(Finding::problem).asString()
        .contains("layout of jobq before 0.2", "--repair");
    assertThat(f.jedis.exists(k.base + "job:first")).as("nothing changed").isTrue();

    f.broker.tools().doctor("old", true);
  }

  @Test
  void aQueueAnEarlierProducerWroteToAfterThisBrokerLookedIsRefusedAtItsNextScript() {
    f.client.stats("old");
    writeEarlierLayout();

    assertThatThrownBy(() -> f.broker.claim("old", "w", 1, Duration.ofMinutes(1)))
        .isInstanceOf(JobqException.class).hasMessageContaining("jobq doctor --repair");

    f.broker.tools().doctor("old", true);
  }

  @Test
  void doctorRepairMovesEveryJobKeepingOrderStatusAndResult() {
    writeEarlierLayout();

    DoctorReport moved = f.broker.tools().doctor("old", true);

    assertThat(moved.healthy()).as(moved.toString()).isTrue();
    assertThat(moved.findings()).singleElement().extracting(Finding::problem).asString()
        .contains("moved 5 jobs, 3 of them waiting", "forgot 1 ids of finished jobs");
    assertThat(f.keys()).noneMatch(key -> key.contains(":job:") || key.endsWith(":upgrading"));
    assertThat(f.jedis.hexists(k.meta(), "seq")).isFalse();
    assertThat(f.stored("old", "first")).doesNotContainKeys("id", "seq", "attempt", "token");

    Job done = f.client.require("old", "done");
    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("{\"n\":1}");
    assertThat(f.client.require("old", "later").status()).isEqualTo(JobStatus.DELAYED);
    List<Job> claimed = f.broker.claim("old", "w", 3, Duration.ofMinutes(1));
    assertThat(claimed).extracting(Job::id).containsExactly("urgent", "first", "second");
    assertThat(claimed).extracting(Job::attempt).containsOnly(1);
    for (Job j : claimed) {
      assertThat(f.broker.complete("old", j.id(), j.token(), null)).isTrue();
    }
  }
}
