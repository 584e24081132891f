package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Schedule;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventsSchedulesWorkersTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final ManualClock clock = new ManualClock(TestJobs.START);
  final InMemoryBroker broker = new InMemoryBroker(clock);
  final JobClient client = JobClient.create(broker);

  @Test
  void aReaderWaitsForTheNextEventAfterItsPosition() throws Exception {
    assertThat(broker.eventsTail("default")).isEqualTo("0-0");
    client.enqueue(JobRequest.builder("a").build());
    String tail = broker.eventsTail("default");
    assertThat(tail).isEqualTo(TestJobs.START.toEpochMilli() + "-0");
    assertThat(broker.readEvents(Map.of("default", tail), 10, Duration.ofMillis(20))).isEmpty();
    CompletableFuture<List<JobEvent>> next = CompletableFuture.supplyAsync(() -> {
      try {
        return broker.readEvents(Map.of("default", tail), 10, Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    String id = client.enqueue(JobRequest.builder("a").build()).jobId();
    assertThat(next.get()).singleElement().satisfies(e -> {
      assertThat(e.jobId()).isEqualTo(id);
      assertThat(e.position()).isEqualTo(TestJobs.START.toEpochMilli() + "-1");
      assertThat(e.details()).containsEntry("status", "WAITING");
    });
  }

  @Test
  void anIdleWorkerIsWokenByAnEnqueue() throws Exception {
    CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
      try {
        return broker.awaitWork(List.of("default"), Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    client.enqueue(JobRequest.builder("a").build());
    assertThat(woke.get()).isTrue();
    assertThat(broker.awaitWork(List.of("default"), Duration.ofMillis(10)))
        .as("the marker was taken").isFalse();
  }

  @Test
  void aScheduleFiresEachTickOnceAndMissedTicksOnceForTheLatest() {
    broker.putSchedule(Schedule.every("tick", Duration.ofMinutes(1), JobRequest.builder("t")));
    assertThat(broker.fireDueSchedules("default")).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(broker.fireDueSchedules("default")).isEqualTo(1);
    assertThat(broker.fireDueSchedules("default")).isZero();
    Instant first = TestJobs.START.plusSeconds(60);
    assertThat(broker.get("default", "tick@" + first.toEpochMilli())).isPresent();
    clock.advance(Duration.ofMinutes(3));
    assertThat(broker.fireDueSchedules("default")).isEqualTo(1);
    assertThat(broker.schedules("default")).singleElement()
        .satisfies(p -> assertThat(p.nextTick()).isEqualTo(first.plusSeconds(240)));
    assertThat(broker.removeSchedule("default", "tick")).isTrue();
    assertThat(broker.removeSchedule("default", "tick")).isFalse();
  }

  @Test
  void aJobWithAnEscalationHandsOverOnItsLastFailedAttempt() {
    String id = client.enqueue(JobRequest.builder("a").maxAttempts(1)
        .escalateTo(new Escalation(null, "humans", null)).build()).jobId();
    Job j = broker.claim("default", "w", 1, LEASE).get(0);
    assertThat(broker.fail("default", id, j.token(), Failure.of("E", "no"), null))
        .isEqualTo(FailOutcome.ESCALATED);
    Job original = broker.get("default", id).orElseThrow();
    assertThat(original.status()).isEqualTo(JobStatus.CANCELLED);
    String takeover = id + "/escalated-" + TestJobs.START.toEpochMilli();
    assertThat(original.escalatedTo()).isEqualTo("humans/" + takeover);
    assertThat(broker.get("humans", takeover).orElseThrow().headers())
        .containsEntry(Escalation.FROM_HEADER, "default/" + id);
    assertThat(broker.queues()).containsExactly("default", "humans");
  }

  @Test
  void aSecondLiveWorkerOfOneNameIsRefusedAndOrdersReachTheWorker() {
    WorkerInfo w = new WorkerInfo("w1", "host", 1, List.of("default"), 2, 0, 0, 0,
        clock.instant(), clock.instant(), "running");
    Duration ttl = Duration.ofSeconds(30);
    assertThat(broker.registerNewWorker(w, ttl)).isEmpty();
    assertThat(broker.registerNewWorker(w, ttl)).contains(w);
    assertThat(broker.controlWorker("w1", new WorkerControl(WorkerControl.State.QUIET, null)))
        .isTrue();
    assertThat(broker.registerWorker(w, ttl).state()).isEqualTo(WorkerControl.State.QUIET);
    assertThat(broker.workers()).extracting(WorkerInfo::id).containsExactly("w1");
    clock.advance(ttl.plusMillis(1));
    assertThat(broker.workers()).isEmpty();
    assertThat(broker.pruneWorkers(Duration.ZERO)).as("workers() forgot it already").isZero();
    assertThat(broker.controlWorker("w1", WorkerControl.NONE)).isFalse();
  }

  @Test
  void aHeartbeatAlsoExpiresInRealTimeAsARedisTtlDoes() {
    WorkerInfo w = new WorkerInfo("w2", "host", 1, List.of("default"), 1, 0, 0, 0,
        clock.instant(), clock.instant(), "running");
    broker.registerWorker(w, Duration.ofMillis(50));
    assertThat(broker.workers()).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.workers().isEmpty());
  }
}
