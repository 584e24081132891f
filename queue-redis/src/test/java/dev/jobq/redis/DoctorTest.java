package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.Schedule;
import dev.jobq.redis.DoctorReport.Finding;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DoctorTest {
  final Fixture f = new Fixture();
  final Keys k = new Keys(f.prefix, "default");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void healthyQueueHasNoFindings() {
    f.client.enqueue(job("a").build());
    f.client.enqueue(job("b").delay(Duration.ofMinutes(1)).build());
    f.broker.claim("default", "w", 1, Duration.ofSeconds(30));

    DoctorReport report = f.broker.tools().doctor("default", false);

    assertThat(report.jobsChecked()).isEqualTo(2);
    assertThat(report.findings()).isEmpty();
    assertThat(report.healthy()).isTrue();
  }

  @Test
  void repairDropsIdsWithoutAJobAndGivesALostActiveJobBackToTheReaper() {
    f.client.enqueue(job("b").build());
    Job running = f.broker.claim("default", "w", 1, Duration.ofSeconds(30)).get(0);
    f.jedis.zrem(k.active(), running.id());
    String orphan = f.client.enqueue(job("a").build()).jobId();
    f.deleteStored("default", orphan);

    DoctorReport seen = f.broker.tools().doctor("default", false);
    assertThat(seen.findings()).extracting(Finding::jobId).containsExactlyInAnyOrder(orphan, running.id());
    assertThat(seen.findings()).noneMatch(Finding::repaired);
    assertThat(seen.healthy()).isFalse();

    DoctorReport repaired = f.broker.tools().doctor("default", true);
    assertThat(repaired.findings()).allMatch(Finding::repaired);
    assertThat(f.broker.tools().doctor("default", false).findings()).isEmpty();

    assertThat(f.broker.reapExpired("default", RetryPolicy.DEFAULT, 10)).isEqualTo(1);
    assertThat(f.client.require("default", running.id()).status()).isEqualTo(JobStatus.DELAYED);
  }

  @Test
  void jobInTwoSetsOrWithTheWrongStatusIsReportedNotTouched() {
    String twice = f.client.enqueue(job("a").build()).jobId();
    f.jedis.zadd(k.failed(), 1, twice);
    String wrong = f.client.enqueue(job("b").build()).jobId();
    f.editStored("default", wrong, "status", "COMPLETED");

    DoctorReport report = f.broker.tools().doctor("default", true);

    assertThat(report.findings()).extracting(Finding::problem)
        .anySatisfy(p -> assertThat(p).contains(twice).contains("several lists or sets"))
        .anySatisfy(p -> assertThat(p).contains(wrong).contains("status is COMPLETED"));
    assertThat(report.findings()).noneMatch(Finding::repaired);

    f.jedis.zrem(k.failed(), twice);
    f.editStored("default", wrong, "status", "WAITING");
  }

  @Test
  void aLastFiringOfAScheduleGoneIsForgottenOnRepairAndOneOfALiveScheduleKept() {
    f.client.addSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    f.client.triggerSchedule("default", "beat");
    // as a jobq older than schedule_last removes a schedule: the last firing stays
    f.jedis.hset(k.scheduleLast(), "gone", "{\"at\":1,\"job\":\"gone@1\"}");

    DoctorReport seen = f.broker.tools().doctor("default", false);
    assertThat(seen.findings()).singleElement().satisfies(finding -> {
      assertThat(finding.problem()).startsWith("schedule 'gone' has a last firing");
      assertThat(finding.repairable()).isTrue();
    });

    assertThat(f.broker.tools().doctor("default", true).findings()).allMatch(Finding::repaired);
    assertThat(f.jedis.hkeys(k.scheduleLast())).containsExactly("beat");
  }
}
