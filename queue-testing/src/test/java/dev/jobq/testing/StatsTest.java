package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.QueueStats;
import dev.jobq.spi.Failure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatsTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final ManualClock clock = new ManualClock(TestJobs.START);
  final InMemoryBroker broker = new InMemoryBroker(clock);
  final JobClient client = JobClient.create(broker);

  @Test
  void theFiguresOfAKnownSequence() {
    for (int i = 0; i < 3; i++) {
      client.enqueue(JobRequest.builder("a").maxAttempts(1).build());
    }
    client.enqueue(JobRequest.builder("a").priority(Priority.HIGH).delay(Duration.ofHours(1)).build());
    clock.advance(Duration.ofSeconds(2));
    Job a = broker.claim("default", "w", 1, LEASE).get(0);
    Job b = broker.claim("default", "w", 1, LEASE).get(0);
    clock.advance(Duration.ofSeconds(4));
    broker.complete("default", a.id(), a.token(), null);
    broker.fail("default", b.id(), b.token(), Failure.of("E", "x"), null);
    broker.setMaxDepth("default", 10);

    QueueStats s = broker.stats("default");
    assertThat(s.waiting()).containsEntry(Priority.NORMAL, 1L).containsEntry(Priority.HIGH, 0L);
    assertThat(s.delayed()).isEqualTo(1);
    assertThat(s.active()).isZero();
    assertThat(s.completed()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.totalEnqueued()).isEqualTo(4);
    assertThat(s.totalFailedAttempts()).isEqualTo(1);
    assertThat(s.totalDeadLettered()).isEqualTo(1);
    assertThat(s.completedLastMinute()).isEqualTo(1);
    assertThat(s.completedLastHour()).isEqualTo(1);
    assertThat(s.failureRate()).isEqualTo(0.5);
    // 6 s into the minute: one completion over 1.1 minutes
    assertThat(s.jobsPerMinute1()).isCloseTo(1 / 1.1, within(1e-9));
    assertThat(s.waitTime().samples()).isEqualTo(2);
    assertThat(s.waitTime().p50()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.runTime().p99()).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.maxDepth()).isEqualTo(10);
    assertThat(s.paused()).isFalse();
  }
}
