package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Real worker JVMs ({@link WorkerProcessMain}) sharing one queue, killed and signalled. */
class WorkerProcessesTest extends WorkerTestSupport {
  private final List<Process> processes = new ArrayList<>();
  private RedisClient jedis;

  @AfterEach
  void destroyProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (jedis != null) {
      jedis.close();
    }
  }

  private RedisClient jedis() {
    if (jedis == null) {
      jedis = RedisClient.create(redis.url());
    }
    return jedis;
  }

  private Process launch(String name, int concurrency, long leaseMs, long graceMs)
      throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path log = Path.of("target", "worker-processes", prefix + "-" + name + ".log");
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        WorkerProcessMain.class.getName(), redis.url(), prefix, QUEUE,
        Integer.toString(concurrency), Long.toString(leaseMs), Long.toString(graceMs), name)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    return p;
  }

  private void awaitRegistered(String... names) {
    await().atMost(PATIENCE).until(() -> broker.workers().stream().map(i -> i.id())
        .collect(java.util.stream.Collectors.toSet()).containsAll(List.of(names)));
  }

  private List<String> runs() {
    return jedis().lrange(prefix + ":runs", 0, -1);
  }

  private List<String> done() {
    return jedis().lrange(prefix + ":done", 0, -1);
  }

  private List<String> enqueueWork(int n, String payload) {
    List<JobRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(JobRequest.builder("test.work").queue(QUEUE).payload(payload)
          .maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(100))).build());
    }
    return client.enqueueAll(requests).stream().map(r -> r.jobId()).toList();
  }

  @Test
  void severalWorkerProcessesShareOneQueueAndRunEveryJobOnce() throws Exception {
    launch("w1", 2, 5_000, 2_000);
    launch("w2", 2, 5_000, 2_000);
    launch("w3", 2, 5_000, 2_000);
    awaitRegistered("w1", "w2", "w3");
    List<String> ids = enqueueWork(60, "{\"ms\":40}");
    await().atMost(Duration.ofSeconds(60)).until(() -> done().size() >= 60);
    ids.forEach(id -> assertThat(job(id).status()).isEqualTo(JobStatus.COMPLETED));
    List<String> doneIds = done().stream().map(s -> s.split(" ")[0]).toList();
    assertThat(doneIds).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    Set<String> tookPart = new HashSet<>();
    done().forEach(s -> tookPart.add(s.split(" ")[1]));
    assertThat(tookPart).containsExactlyInAnyOrder("w1", "w2", "w3");
  }

  @Test
  void jobsOfAKilledWorkerAreFinishedByAnotherAfterTheirLeaseExpires() throws Exception {
    Process doomed = launch("doomed", 4, 1_000, 1_000);
    awaitRegistered("doomed");
    List<String> ids = enqueueWork(4, "{\"ms\":600000,\"retryMs\":50}");
    await().atMost(PATIENCE).until(() -> runs().size() == 4);
    doomed.destroyForcibly(); // kill -9: no release, no deregistration
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    launch("rescuer", 4, 1_000, 1_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> done().size() >= 4);
    for (String id : ids) {
      Job j = awaitStatus(id, JobStatus.COMPLETED);
      assertThat(j.attempt()).isEqualTo(2);
    }
    assertThat(done()).allMatch(s -> s.endsWith(" rescuer")).hasSize(4);
  }

  @Test
  void sigtermLetsShortJobsFinishAndReleasesLongOnesThenExitsZero() throws Exception {
    Process worker = launch("polite", 4, 5_000, 1_500);
    awaitRegistered("polite");
    List<String> shortJobs = enqueueWork(2, "{\"ms\":300}");
    List<String> longJobs = enqueueWork(2, "{\"ms\":600000}");
    await().atMost(PATIENCE).until(() -> runs().size() == 4);
    worker.destroy(); // SIGTERM
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isZero();
    shortJobs.forEach(id -> assertThat(job(id).status()).isEqualTo(JobStatus.COMPLETED));
    longJobs.forEach(id -> assertThat(job(id).status()).isEqualTo(JobStatus.WAITING));
    List<Job> again = broker.claim(QUEUE, "test-claimer", 10, Duration.ofSeconds(5));
    assertThat(again).extracting(Job::id).containsExactlyInAnyOrderElementsOf(longJobs);
    assertThat(again).allMatch(j -> j.attempt() == 1, "released attempts are not spent");
    assertThat(broker.workers()).noneMatch(i -> i.id().equals("polite"));
  }

  @Test
  void secondSigtermEndsTheGracePeriodAndStillReleases() throws Exception {
    Process worker = launch("hurried", 2, 5_000, 600_000);
    awaitRegistered("hurried");
    List<String> longJobs = enqueueWork(1, "{\"ms\":600000}");
    await().atMost(PATIENCE).until(() -> runs().size() == 1);
    Path log = Path.of("target", "worker-processes", prefix + "-hurried.log");
    worker.destroy();
    await().atMost(PATIENCE).until(() -> Files.readString(log).contains("shutting down"));
    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue(); // far less than the 10 min grace
    assertThat(worker.exitValue()).isZero();
    assertThat(job(longJobs.get(0)).status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void staleWorkerWhoseLeaseWasTakenOverCannotCompleteOrFailTheJob() throws Exception {
    Process stale = launch("stale", 2, 1_000, 1_000);
    awaitRegistered("stale");
    String completes = enqueueWork(1, "{\"ms\":1500}").get(0);
    String fails = enqueueWork(1, "{\"ms\":1500,\"fail\":true}").get(0);
    await().atMost(PATIENCE).until(() -> runs().size() == 2);
    signal("STOP", stale); // a frozen JVM (a long GC pause): its leases run out
    List<Job> taken = new ArrayList<>();
    await().atMost(PATIENCE).until(() -> {
      broker.reapExpired(QUEUE, RetryPolicy.DEFAULT, 10);
      taken.addAll(broker.claim(QUEUE, "new-owner", 2, Duration.ofSeconds(30)));
      return taken.size() == 2;
    });
    signal("CONT", stale);
    Path log = Path.of("target", "worker-processes", prefix + "-stale.log");
    await().atMost(PATIENCE).until(() -> settled(Files.readString(log), completes)
        && settled(Files.readString(log), fails));
    for (String id : List.of(completes, fails)) {
      Job j = job(id);
      assertThat(j.status()).as(id).isEqualTo(JobStatus.ACTIVE);
      assertThat(j.worker()).isEqualTo("new-owner");
      assertThat(j.result()).isNull();
    }
    for (Job mine : taken) {
      assertThat(broker.complete(QUEUE, mine.id(), mine.token(), "\"new owner's\"")).isTrue();
    }
    assertThat(job(completes).result()).isEqualTo("\"new owner's\"");
    assertThat(job(fails).status()).isEqualTo(JobStatus.COMPLETED);
  }

  /** The stale worker has noticed: the lease renewal or the broker refused it. */
  private static boolean settled(String log, String id) {
    return log.lines().anyMatch(l -> l.contains(id) && (l.contains("lease lost") || l.contains("dropped")));
  }

  private static void signal(String name, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
