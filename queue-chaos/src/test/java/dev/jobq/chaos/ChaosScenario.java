package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.QueueStats;
import dev.jobq.WorkerInfo;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.RedisClient;

/**
 * One chaos scenario: a redis-server of its own (append-only file, fsync always, so that it can
 * be killed), worker JVMs in a {@link Fleet}, a {@link Ledger} of what the handlers did, and at
 * the end, whatever happened, the doctor's check of the queue. Job counts are multiplied by the
 * system property {@code chaos.scale} ({@code scripts/chaos} raises it); the random choices
 * follow {@code chaos.seed} when given, and the seed is in every report so a failure can be
 * replayed.
 */
abstract class ChaosScenario {
  static final String QUEUE = "chaos";
  static final int SCALE = Integer.getInteger("chaos.scale", 1);
  static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
  private static final int BATCH = 500;

  static {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
  }

  final Random random = new Random(SEED);
  TestRedis redis;
  String prefix;
  RedisBroker broker;
  JobClient client;
  Ledger ledger;
  Fleet fleet;
  private RedisClient ledgerRedis;
  private String scenario;
  private long startNanos;

  @BeforeEach
  void startRedis(TestInfo test) {
    scenario = test.getTestClass().orElseThrow().getSimpleName() + "."
        + test.getTestMethod().orElseThrow().getName();
    redis = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
    prefix = TestRedis.uniquePrefix();
    broker = RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix).build());
    client = JobClient.create(broker);
    ledgerRedis = RedisClient.create(redis.url());
    ledger = new Ledger(ledgerRedis, prefix);
    fleet = new Fleet(redis.url(), prefix, QUEUE);
    startNanos = System.nanoTime();
  }

  @AfterEach
  void checkQueueAndStop() {
    try {
      fleet.close(); // before the doctor looks: nothing moves any more
      if (redis.isRunning()) {
        assertThat(broker.tools().doctor(QUEUE, false).findings()).as("doctor after " + scenario).isEmpty();
      }
    } finally {
      broker.close();
      ledgerRedis.close();
      redis.close();
    }
  }

  /** A worker talking to the scenario's Redis directly, its clock right. */
  Fleet.Setup direct(int concurrency, long leaseMs) {
    return new Fleet.Setup(redis.url(), concurrency, leaseMs, 0);
  }

  /** A job of {@link ChaosWorker#TYPE} that works for {@code ms}; ten attempts, 100 ms apart. */
  static JobRequest.Builder work(long ms) {
    return request("{\"ms\":" + ms + "}");
  }

  static JobRequest.Builder request(String payload) {
    return JobRequest.builder(ChaosWorker.TYPE).queue(QUEUE).payload(payload)
        .maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(100)));
  }

  /** Enqueues {@code n} jobs in batches; returns their ids in order. */
  List<String> enqueue(int n, IntFunction<JobRequest.Builder> request) {
    List<String> ids = new ArrayList<>(n);
    List<JobRequest> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < n; i++) {
      batch.add(request.apply(i).build());
      if (batch.size() == BATCH || i == n - 1) {
        client.enqueueAll(batch).forEach(r -> ids.add(r.jobId()));
        batch.clear();
      }
    }
    return ids;
  }

  void awaitRegistered(String... names) {
    await().atMost(Duration.ofSeconds(90)).until(() -> broker.workers().stream()
        .map(WorkerInfo::id).collect(Collectors.toSet()).containsAll(Set.of(names)));
  }

  /**
   * Sends the batch until Redis acknowledges it, the same ids each time (a lost answer creates
   * nothing twice), noting when each job was acknowledged and each call refused (an outage).
   */
  static void enqueueUntilAcknowledged(JobClient producer, List<JobRequest> batch,
      Map<String, Long> ackedAt, AtomicInteger refused, BooleanSupplier stopped) {
    while (!stopped.getAsBoolean()) {
      try {
        producer.enqueueAll(batch).forEach(r -> ackedAt.put(r.jobId(), System.nanoTime()));
        return;
      } catch (BrokerUnavailableException e) {
        refused.incrementAndGet();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // retry pacing, not a wait
      }
    }
  }

  /** Waits until every job of the queue is completed or dead-lettered, riding out outages. */
  QueueStats awaitAllFinished(int jobs, Duration atMost) {
    await().atMost(atMost).ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> {
          QueueStats s = broker.stats(QUEUE);
          return s.completed() + s.failed() == jobs;
        });
    return broker.stats(QUEUE);
  }

  Job job(String id) {
    return job(broker, id);
  }

  static Job job(RedisBroker on, String id) {
    return on.get(QUEUE, id).orElseThrow(() -> new AssertionError("job " + id + " is gone"));
  }

  /**
   * The promise of the queue: every job COMPLETED; Redis accepted exactly one completion of
   * each (its counter grows only when complete.lua accepts one, and a completed job accepts no
   * other); no worker heard of two; a handler ran once per attempt at most, and once in all
   * unless a lease was lost.
   */
  void assertEveryJobCompletedOnce(List<String> ids) {
    assertEveryJobCompletedOnce(broker, ids);
  }

  /** As {@link #assertEveryJobCompletedOnce(List)}, for a queue reached through {@code on}. */
  void assertEveryJobCompletedOnce(RedisBroker on, List<String> ids) {
    for (String id : ids) {
      assertThat(job(on, id).status()).as("status of %s (seed %d)", id, SEED)
          .isEqualTo(JobStatus.COMPLETED);
    }
    assertThat(on.stats(QUEUE).totalCompleted()).as("completions Redis accepted")
        .isEqualTo(ids.size());
    Map<String, Long> completions = ledger.completions();
    assertThat(completions).as("completions workers heard of")
        .allSatisfy((id, n) -> assertThat(n).as("completions of %s", id).isEqualTo(1));
    Map<String, Long> runs = ledger.runs();
    for (String id : ids) {
      Job j = job(on, id);
      // Each run is a claim (an attempt); only a lease lost to the reaper makes a second one.
      assertThat(runs.get(id)).as("runs of %s: %s", id, j).isBetween(1L, (long) j.attempt());
      if (j.errorClass() == null) {
        assertThat(j.attempt()).as("attempts of %s, whose lease was never lost", id).isEqualTo(1);
      }
    }
  }

  /** A job as a worker held it when a fault struck: the attempt it was on. */
  record Held(String id, String worker, int attempt) {}

  /** The jobs these workers hold leases on now. */
  List<Held> heldBy(String... workers) {
    Set<String> names = Set.of(workers);
    return broker.list(QUEUE, JobStatus.ACTIVE, 0, 100_000).jobs().stream()
        .filter(j -> names.contains(j.worker()))
        .map(j -> new Held(j.id(), j.worker(), j.attempt())).toList();
  }

  /**
   * Waits until the reaper took these jobs back from the workers that held them; returns those
   * it took. A job its holder finished itself, under the attempt it held, is left out: its
   * outcome was already on its way to Redis when the fault struck.
   */
  List<Held> awaitTakenBack(List<Held> held) {
    await().atMost(Duration.ofSeconds(90)).until(() -> held.stream().allMatch(h -> {
      Job j = job(h.id());
      return j.status() != JobStatus.ACTIVE || j.attempt() != h.attempt();
    }));
    List<Held> taken = held.stream().filter(h -> {
      Job j = job(h.id());
      return !(j.status() == JobStatus.COMPLETED && j.attempt() == h.attempt()
          && h.worker().equals(j.worker()));
    }).toList();
    assertThat(taken).as("jobs taken back from their stalled workers, of %s", held).isNotEmpty();
    return taken;
  }

  /**
   * Waits until each worker has logged that it let go of each held job whose handler it had
   * started: its lease renewal answered "lost", or Redis refused its complete or fail (a stale
   * lease token). A job whose claim's answer never reached the worker was never started there.
   */
  void awaitLetGo(List<Held> held) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (Held h : held) {
        String log = fleet.log(h.worker());
        if (!log.contains("job " + h.id() + " started (type " + ChaosWorker.TYPE + ", attempt "
            + h.attempt() + "/")) {
          continue;
        }
        assertThat(log.lines().filter(l -> l.contains("job " + h.id() + ":")))
            .as("%s let go of job %s: %s", h.worker(), h.id(), job(h.id()))
            .anyMatch(l -> l.contains("lease lost") || l.contains("dropped"));
      }
    });
  }

  /** Jobs whose handler started more than once. */
  long rerunJobs() {
    return ledger.runs().values().stream().filter(n -> n > 1).count();
  }

  /** One line of {@code target/chaos/figures.md}: what docs/RELIABILITY.md quotes. */
  void report(int jobs, String figures) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String line = String.format("| %s | %d | %.1f | %s | %d |%n", scenario, jobs, seconds, figures,
        SEED);
    try {
      Path file = Path.of("target", "chaos", "figures.md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.print(line);
  }
}
