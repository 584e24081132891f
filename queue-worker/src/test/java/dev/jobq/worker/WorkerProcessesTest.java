package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.redis.RedisBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Real worker JVMs ({@link WorkerProcessMain}) sharing one queue on a real Redis: several at
 * once, one killed with SIGKILL mid-job, one frozen past its leases, one stopped with SIGTERM.
 * Each worker's log is in {@code target/worker-processes/}.
 */
class WorkerProcessesTest extends WorkerProcessTestSupport {

  /** "id worker" per handler that got to its end. */
  private List<String> done() {
    return jedis.lrange(prefix + ":done", 0, -1);
  }

  private void openGate(String id) {
    jedis.rpush(prefix + ":gate:" + id, "go");
  }

  private List<String> enqueueWork(int n, String payload) {
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(JobRequest.builder(WorkerProcessMain.TYPE).queue(QUEUE).payload(payload)
          .maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(100))).build());
    }
    return client.enqueueAll(requests).stream().map(r -> r.jobId()).toList();
  }

  private static <T> Map<T, Long> counts(List<String> lines, Function<String[], T> key) {
    return lines.stream().map(l -> l.split(" "))
        .collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  @Test
  void severalWorkerProcessesShareOneQueueAndRunEveryJobOnce() {
    Process w1 = workers.launch("w1", 2, 5_000, 2_000);
    Process w2 = workers.launch("w2", 2, 5_000, 2_000);
    Process w3 = workers.launch("w3", 2, 5_000, 2_000);
    awaitRegistered(w1, w2, w3);
    List<String> ids = enqueueWork(60, "{\"ms\":40}");

    await().atMost(Duration.ofSeconds(60)).until(() -> broker.stats(QUEUE).completed() == 60);
    ids.forEach(id -> assertThat(job(id).status()).isEqualTo(JobStatus.COMPLETED));
    // Each job ran once and was completed once, whichever worker took it.
    assertThat(counts(runs(), r -> r[0])).containsOnlyKeys(ids).allSatisfy((id, n) ->
        assertThat(n).as("runs of %s", id).isEqualTo(1));
    assertThat(counts(done(), r -> r[0])).containsOnlyKeys(ids).allSatisfy((id, n) ->
        assertThat(n).as("completions of %s", id).isEqualTo(1));
    assertThat(broker.stats(QUEUE).totalCompleted()).isEqualTo(60);
    // The job's result is the name of the worker that ran it: every worker took part.
    assertThat(ids.stream().map(id -> job(id).result()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("\"w1\"", "\"w2\"", "\"w3\"");
    assertThat(counts(done(), r -> r[1])).containsOnlyKeys("w1", "w2", "w3");
  }

  @Test
  void jobsOfAWorkerKilledMidJobAreFinishedByAnotherAfterTheirLeaseExpires() throws Exception {
    Process doomed = workers.launch("doomed", 4, 1_000, 1_000);
    awaitRegistered(doomed);
    List<String> ids = enqueueWork(4, "{\"ms\":600000,\"retryMs\":50}");
    await().atMost(PATIENCE).until(() -> runs().size() == 4);
    Process rescuer = workers.launch("rescuer", 4, 1_000, 1_000);
    awaitRegistered(rescuer);

    doomed.destroyForcibly(); // kill -9, in the middle of four long jobs: no release, no goodbye
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await().atMost(Duration.ofSeconds(30)).until(() -> done().size() == 4);
    for (String id : ids) {
      Job j = awaitStatus(id, JobStatus.COMPLETED);
      assertThat(j.attempt()).isEqualTo(2);
      assertThat(j.result()).isEqualTo("\"rescuer\"");
      // taken back by a reaper, which only takes leases that have expired
      assertThat(j.errorClass()).isEqualTo("dev.jobq.LeaseExpired");
      assertThat(j.error()).contains("worker doomed");
    }
    assertThat(runs()).containsExactlyInAnyOrderElementsOf(ids.stream()
        .flatMap(id -> java.util.stream.Stream.of(id + " 1 doomed", id + " 2 rescuer")).toList());
    assertThat(done()).allMatch(s -> s.endsWith(" rescuer")).hasSize(4);
  }

  /**
   * The stale worker keeps running its handlers while another takes its jobs over: here the
   * takeover comes from a client whose clock is ten minutes ahead, to whom the leases have long
   * expired. The worker's lease is two minutes, so no renewal of its own tells it first: its
   * complete and fail calls reach Redis with the old token and are refused.
   */
  @Test
  void staleWorkerWhoseLeaseWasTakenOverCannotCompleteOrFailTheJob() {
    Process stale = workers.launch("stale", 2, 120_000, 1_000);
    awaitRegistered(stale);
    String completes = enqueueWork(1, "{\"gate\":true}").get(0);
    String fails = enqueueWork(1, "{\"gate\":true,\"fail\":true}").get(0);
    await().atMost(PATIENCE).until(() -> runs().size() == 2);

    List<Job> taken = new ArrayList<>();
    try (RedisBroker later = Brokers.connect(redis, prefix,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)))) {
      assertThat(later.reapExpired(QUEUE, RetryPolicy.DEFAULT, 10)).isEqualTo(2);
      await().atMost(PATIENCE).until(() -> {
        taken.addAll(later.claim(QUEUE, "new-owner", 2, Duration.ofHours(1)));
        return taken.size() == 2;
      });
    }
    openGate(completes);
    openGate(fails);
    await().atMost(PATIENCE).until(() -> workers.log("stale").contains(
        "job " + completes + ": complete dropped, the broker refused its lease token"));
    await().atMost(PATIENCE).until(() -> workers.log("stale").contains(
        "job " + fails + ": fail dropped, the broker refused its lease token"));
    assertThat(done()).containsExactly(completes + " stale"); // its handler did finish

    for (Job mine : taken) {
      Job now = job(mine.id());
      assertThat(now.status()).as(mine.id()).isEqualTo(JobStatus.ACTIVE);
      assertThat(now.worker()).isEqualTo("new-owner");
      assertThat(now.token()).isEqualTo(mine.token());
      assertThat(now.result()).isNull();
      assertThat(now.errorClass()).isEqualTo("dev.jobq.LeaseExpired"); // not the stale failure
    }
    for (Job mine : taken) {
      assertThat(broker.complete(QUEUE, mine.id(), mine.token(), "\"new owner's\"")).isTrue();
    }
    assertThat(job(completes).result()).isEqualTo("\"new owner's\"");
    assertThat(job(fails).status()).isEqualTo(JobStatus.COMPLETED);
  }

  /** A frozen JVM (a long GC pause, SIGSTOP here) wakes up after its leases were taken over. */
  @Test
  void frozenWorkerThatWakesAfterItsJobsWereTakenOverChangesNothing() {
    Process frozen = workers.launch("frozen", 2, 1_000, 1_000);
    awaitRegistered(frozen);
    String completes = enqueueWork(1, "{\"ms\":1500}").get(0);
    String fails = enqueueWork(1, "{\"ms\":1500,\"fail\":true}").get(0);
    await().atMost(PATIENCE).until(() -> runs().size() == 2);
    WorkerProcesses.signal("STOP", frozen);
    List<Job> taken = new ArrayList<>();
    await().atMost(PATIENCE).until(() -> {
      broker.reapExpired(QUEUE, RetryPolicy.DEFAULT, 10);
      taken.addAll(broker.claim(QUEUE, "new-owner", 2, Duration.ofSeconds(30)));
      return taken.size() == 2;
    });
    WorkerProcesses.signal("CONT", frozen);
    // It learns from its next lease renewal (LOST) or from a refused complete or fail.
    for (String id : List.of(completes, fails)) {
      await().atMost(PATIENCE).until(() -> workers.log("frozen").lines().anyMatch(l ->
          l.contains("job " + id + ":") && (l.contains("lease lost") || l.contains("dropped"))));
    }
    for (Job mine : taken) {
      Job now = job(mine.id());
      assertThat(now.status()).isEqualTo(JobStatus.ACTIVE);
      assertThat(now.worker()).isEqualTo("new-owner");
      assertThat(now.result()).isNull();
      assertThat(now.errorClass()).isEqualTo("dev.jobq.LeaseExpired");
      assertThat(broker.complete(QUEUE, mine.id(), mine.token(), "\"new owner's\"")).isTrue();
    }
  }

  @Test
  void sigtermLetsShortJobsFinishReleasesLongOnesUnspentAndExitsZero() throws Exception {
    Process polite = workers.launch("polite", 4, 5_000, 3_000);
    awaitRegistered(polite);
    List<String> shortJobs = enqueueWork(2, "{\"gate\":true}");
    List<String> longJobs = enqueueWork(2, "{\"ms\":600000}");
    await().atMost(PATIENCE).until(() -> runs().size() == 4);

    WorkerProcesses.signal("TERM", polite);
    await().atMost(PATIENCE).until(() -> workers.log("polite").contains("polite shutting down"));
    shortJobs.forEach(this::openGate); // the short jobs end only now, during the grace period
    assertThat(polite.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(polite.exitValue()).isZero();

    shortJobs.forEach(id -> assertThat(job(id).status()).isEqualTo(JobStatus.COMPLETED));
    assertThat(done()).containsExactlyInAnyOrder(shortJobs.get(0) + " polite",
        shortJobs.get(1) + " polite");
    for (String id : longJobs) {
      Job released = job(id);
      assertThat(released.status()).isEqualTo(JobStatus.WAITING);
      assertThat(released.attempt()).as("attempts spent by %s", id).isZero();
    }
    List<Job> again = broker.claim(QUEUE, "test-claimer", 10, Duration.ofSeconds(5));
    assertThat(again).extracting(Job::id).containsExactlyInAnyOrderElementsOf(longJobs);
    assertThat(again).allMatch(j -> j.attempt() == 1, "first attempt again");
    assertThat(broker.workers()).noneMatch(i -> i.id().equals("polite"));
  }

  @Test
  void secondSigtermEndsTheGracePeriodAndStillReleases() throws Exception {
    Process hurried = workers.launch("hurried", 2, 5_000, 600_000);
    awaitRegistered(hurried);
    String longJob = enqueueWork(1, "{\"ms\":600000}").get(0);
    await().atMost(PATIENCE).until(() -> runs().size() == 1);
    WorkerProcesses.signal("TERM", hurried);
    await().atMost(PATIENCE).until(() -> workers.log("hurried").contains("hurried shutting down"));
    WorkerProcesses.signal("TERM", hurried);
    assertThat(hurried.waitFor(30, TimeUnit.SECONDS)).isTrue(); // the grace was ten minutes
    assertThat(hurried.exitValue()).isZero();
    Job released = job(longJob);
    assertThat(released.status()).isEqualTo(JobStatus.WAITING);
    assertThat(released.attempt()).isZero();
  }
}
