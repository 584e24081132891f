package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationsTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private String deadLettered(String type) {
    String id = f.client.enqueue(job(type).maxAttempts(1).build()).jobId();
    Job j = f.broker.claim("default", "w", 1, LEASE).get(0);
    f.broker.fail("default", j.id(), j.token(), Failure.of("E", "broken"), null);
    return id;
  }

  private String active(String type) {
    String id = f.client.enqueue(job(type).build()).jobId();
    f.broker.claim("default", "w", 1, LEASE);
    return id;
  }

  @Test
  void cancelStopsWaitingDelayedAndActiveJobsButNotFinishedOnes() {
    String done = deadLettered("done");
    String running = active("running");
    String waiting = f.client.enqueue(job("waiting").build()).jobId();
    String delayed = f.client.enqueue(job("delayed").delay(Duration.ofHours(1)).build()).jobId();

    Map<String, CancelOutcome> out =
        f.client.cancel("default", waiting, delayed, running, done, "no-such-job");

    assertThat(out).containsExactly(
        Map.entry(waiting, CancelOutcome.CANCELLED), Map.entry(delayed, CancelOutcome.CANCELLED),
        Map.entry(running, CancelOutcome.CANCELLED),
        Map.entry(done, CancelOutcome.ALREADY_FINISHED),
        Map.entry("no-such-job", CancelOutcome.NOT_FOUND));
    assertThat(f.client.require("default", waiting).status()).isEqualTo(JobStatus.CANCELLED);
    f.clock.advance(Duration.ofHours(2));
    assertThat(f.broker.claim("default", "w", 10, LEASE)).isEmpty();
    assertThat(f.broker.stats("default").cancelled()).isEqualTo(3);
  }

  @Test
  void retryFailedGivesChosenJobsFreshAttempts() {
    String a = deadLettered("a");
    String b = deadLettered("b");

    assertThat(f.client.retryFailed("default", List.of(a, "not-failed"))).isEqualTo(1);

    Job back = f.client.require("default", a);
    assertThat(back.status()).isEqualTo(JobStatus.WAITING);
    assertThat(back.attempt()).isZero();
    assertThat(back.error()).isEqualTo("broken");
    assertThat(f.client.require("default", b).status()).isEqualTo(JobStatus.FAILED);
    assertThat(f.broker.claim("default", "w", 1, LEASE).get(0).attempt()).isEqualTo(1);
  }

  @Test
  void retryAllFailedMovesEveryFailedJob() {
    for (int i = 0; i < 1200; i++) {
      f.client.enqueue(job("a").maxAttempts(1).build());
    }
    // claim hands out at most 1000 jobs per call
    for (int call = 0; call < 2; call++) {
      for (Job j : f.broker.claim("default", "w", 1200, LEASE)) {
        f.broker.fail("default", j.id(), j.token(), Failure.of("E", "x"), null);
      }
    }

    assertThat(f.client.retryAllFailed("default")).isEqualTo(1200);
    assertThat(f.broker.stats("default").failed()).isZero();
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(1200);
  }

  @Test
  void clearPreviewsThenDeletesWhatHasNotStarted() {
    String running = active("x");
    deadLettered("f");
    for (int i = 0; i < 1500; i++) {
      f.client.enqueue(job("w").build());
    }
    f.client.enqueue(job("d").delay(Duration.ofHours(1)).build());

    ClearResult preview = f.client.previewClear("default", false);
    assertThat(preview).isEqualTo(new ClearResult(1500, 1, 0, 0));
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(1500);

    assertThat(f.client.clear("default", false)).isEqualTo(new ClearResult(1500, 1, 0, 0));
    var stats = f.broker.stats("default");
    assertThat(stats.waitingTotal()).isZero();
    assertThat(stats.delayed()).isZero();
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(f.client.require("default", running).status()).isEqualTo(JobStatus.ACTIVE);

    assertThat(f.client.clear("default", true)).isEqualTo(new ClearResult(0, 0, 0, 1));
  }

  @Test
  void purgeDeletesFinishedJobsOlderThanTheAge() {
    String old = deadLettered("old");
    f.clock.advance(Duration.ofHours(30));
    String recent = deadLettered("recent");

    assertThat(f.client.purge("default", Duration.ofHours(24))).isEqualTo(1);

    assertThat(f.client.get("default", old)).isEmpty();
    assertThat(f.client.get("default", recent)).isPresent();
  }

  @Test
  void listPagesWaitingJobsInRunOrderAcrossPriorities() {
    f.client.enqueue(job("n1").build());
    f.client.enqueue(job("l1").priority(Priority.LOW).build());
    f.client.enqueue(job("h1").priority(Priority.HIGH).build());
    f.client.enqueue(job("n2").build());

    JobPage first = f.client.list("default", JobStatus.WAITING, 0, 2);
    JobPage second = f.client.list("default", JobStatus.WAITING, 2, 2);

    assertThat(first.total()).isEqualTo(4);
    assertThat(first.jobs()).extracting(Job::type).containsExactly("h1", "n1");
    assertThat(second.jobs()).extracting(Job::type).containsExactly("n2", "l1");
  }

  @Test
  void listShowsNewestFailuresFirst() {
    deadLettered("first");
    f.clock.advance(Duration.ofSeconds(1));
    deadLettered("second");

    assertThat(f.client.list("default", JobStatus.FAILED, 0, 10).jobs())
        .extracting(Job::type).containsExactly("second", "first");
  }

  @Test
  void findLooksInEveryQueue() {
    String id = f.client.enqueue(job("a").queue("emails").build()).jobId();
    f.client.enqueue(job("a").queue("reports").build());

    assertThat(f.client.find(id)).map(Job::queue).contains("emails");
    assertThat(f.client.find("missing")).isEmpty();
  }

  @Test
  void statsShowDepthThroughputFailureRateAndLatency() {
    f.client.enqueue(job("a").priority(Priority.HIGH).build());
    f.client.enqueue(job("b").priority(Priority.HIGH).build());
    f.client.enqueue(job("c").priority(Priority.LOW).build());
    for (int i = 0; i < 3; i++) {
      f.client.enqueue(job("run").priority(Priority.CRITICAL).build());
    }
    List<Job> running = f.broker.claim("default", "w", 3, LEASE);
    f.clock.advance(Duration.ofMillis(100));
    f.broker.complete("default", running.get(0).id(), running.get(0).token(), null);
    f.broker.complete("default", running.get(1).id(), running.get(1).token(), null);
    f.clock.advance(Duration.ofMillis(300));
    f.broker.fail("default", running.get(2).id(), running.get(2).token(), Failure.of("E", "x"),
        Duration.ofMinutes(1));

    var s = f.broker.stats("default");
    assertThat(s.waiting()).containsEntry(Priority.HIGH, 2L).containsEntry(Priority.LOW, 1L)
        .containsEntry(Priority.CRITICAL, 0L).containsEntry(Priority.NORMAL, 0L);
    assertThat(s.delayed()).isEqualTo(1);
    assertThat(s.totalEnqueued()).isEqualTo(6);
    assertThat(s.totalCompleted()).isEqualTo(2);
    assertThat(s.completedLastMinute()).isEqualTo(2);
    assertThat(s.completedLastHour()).isEqualTo(2);
    assertThat(s.jobsPerMinute15()).isGreaterThan(0);
    assertThat(s.failureRate()).isEqualTo(1.0 / 3);
    assertThat(s.runTime().samples()).isEqualTo(3);
    assertThat(s.runTime().p50()).isEqualTo(Duration.ofMillis(100));
    assertThat(s.runTime().p95()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void workersAreListedWhileTheirHeartbeatLives() throws Exception {
    WorkerInfo info = new WorkerInfo("host-a:42:x", "host-a", 42, List.of("default", "emails"),
        8, 3, 100, 2, Fixture.START, Fixture.START.plusSeconds(5), "running");
    f.broker.registerWorker(info, Duration.ofMillis(300));

    assertThat(f.broker.workers()).containsExactly(info);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> f.broker.workers().isEmpty());

    f.broker.registerWorker(info, Duration.ofMinutes(1));
    f.broker.removeWorker(info.id());
    assertThat(f.broker.workers()).isEmpty();
  }

  @Test
  void ordersForALiveWorkerComeBackWithItsNextHeartbeatAndMerge() {
    WorkerInfo info = new WorkerInfo("w-1", "host-a", 42, List.of("default"), 8, 0, 0, 0,
        Fixture.START, Fixture.START, "running");
    assertThat(f.broker.registerWorker(info, Duration.ofMinutes(1))).isEqualTo(WorkerControl.NONE);

    assertThat(f.broker.controlWorker("w-1", new WorkerControl(WorkerControl.State.QUIET, null)))
        .isTrue();
    assertThat(f.broker.controlWorker("w-1", new WorkerControl(null, 2))).isTrue();

    assertThat(f.broker.registerWorker(info, Duration.ofMinutes(1)))
        .isEqualTo(new WorkerControl(WorkerControl.State.QUIET, 2));
    assertThat(f.broker.controlWorker("gone", new WorkerControl(WorkerControl.State.STOP, null)))
        .isFalse();
    assertThat(f.jedis.exists(f.prefix + ":worker:gone")).as("no hash for a dead worker").isFalse();

    WorkerInfo restarted = new WorkerInfo("w-1", "host-a", 43, List.of("default"), 8, 0, 0, 0,
        Fixture.START.plusSeconds(9), Fixture.START.plusSeconds(9), "running");
    assertThat(f.broker.registerWorker(restarted, Duration.ofMinutes(1)))
        .as("a new process under the same name starts without the old one's orders")
        .isEqualTo(WorkerControl.NONE);
    assertThat(f.broker.registerWorker(restarted, Duration.ofMinutes(1))).isEqualTo(WorkerControl.NONE);
    f.broker.removeWorker("w-1");
  }
}
