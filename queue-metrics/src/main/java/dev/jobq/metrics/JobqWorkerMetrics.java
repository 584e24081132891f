package dev.jobq.metrics;

import dev.jobq.worker.Worker;
import dev.jobq.worker.WorkerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * A worker's metrics in a Micrometer registry: register it on the worker's builder.
 *
 * <pre>{@code
 * JobqWorkerMetrics metrics = new JobqWorkerMetrics(registry);
 * Worker worker = Worker.builder(broker).listener(metrics).handler(...).build();
 * }</pre>
 *
 * <p>Every meter is listed, with its tags, in this module's README. Tags are queue, type and
 * outcome, never a job id; past {@value #MAX_TYPES} distinct job types, further types are
 * tagged {@value #OTHER_TYPE}, so a producer inventing types cannot blow up the registry.
 * One instance may serve several workers of a process: the gauges add theirs up.
 */
public final class JobqWorkerMetrics implements WorkerListener {
  /** How many distinct job types get a tag of their own. */
  public static final int MAX_TYPES = 100;
  /** The type tag of every type past {@link #MAX_TYPES}. */
  public static final String OTHER_TYPE = "other";

  /** The histograms' range: buckets beyond it are not published (the +Inf one always is). */
  private static final Duration JOB_MIN = Duration.ofMillis(1);
  private static final Duration JOB_MAX = Duration.ofHours(1);
  private static final Duration REDIS_MIN = Duration.ofNanos(100_000);
  private static final Duration REDIS_MAX = Duration.ofSeconds(10);

  private final MeterRegistry registry;
  private final Map<String, Map<String, JobMeters>> byQueueAndType = new ConcurrentHashMap<>();
  private final Map<String, ClaimMeters> claims = new ConcurrentHashMap<>();
  private final Map<String, String> typeTags = new ConcurrentHashMap<>(); // the tagged types
  private final Map<RedisCall, Timer> redisCalls = new EnumMap<>(RedisCall.class);
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private final Counter outages;

  /** Registers the worker-wide meters in {@code registry} now, the per-type ones as seen. */
  public JobqWorkerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (RedisCall call : RedisCall.values()) {
      redisCalls.put(call, Timer.builder("jobq.redis.calls")
          .description("Redis calls of the worker that were answered, by call")
          .tag("call", call.tag())
          .publishPercentileHistogram()
          .minimumExpectedValue(REDIS_MIN).maximumExpectedValue(REDIS_MAX)
          .register(registry));
    }
    outages = Counter.builder("jobq.redis.outages")
        .description("Times Redis stopped answering the worker").register(registry);
    // Strong references: Micrometer holds a gauge's object weakly, and the gauge would turn to
    // NaN once nothing else refers to this listener.
    Gauge.builder("jobq.redis.unavailable", this, JobqWorkerMetrics::secondsDown)
        .description("How long Redis has not answered, in seconds (the longest of the"
            + " workers'); 0 while it answers")
        .baseUnit("seconds").strongReference(true).register(registry);
    workerGauge("jobq.worker.busy", "Handlers running now", Worker::busyThreads);
    workerGauge("jobq.worker.concurrency", "Jobs that may run at once", Worker::concurrency);
    workerGauge("jobq.worker.outbox", "Outcomes waiting in the local outbox for Redis",
        Worker::outboxSize);
  }

  private void workerGauge(String name, String description, ToIntFunction<Worker> value) {
    Gauge.builder(name, workers, ws -> ws.stream().mapToInt(value).sum())
        .description(description).strongReference(true).register(registry);
  }

  @Override
  public void workerStarted(Worker worker) {
    workers.add(worker);
  }

  @Override
  public void workerStopped(Worker worker) {
    workers.remove(worker);
  }

  @Override
  public void jobStarted(String queue, String type, long waitMillis) {
    if (waitMillis >= 0) {
      meters(queue, type).waited.record(waitMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
    JobMeters m = meters(queue, type);
    m.ended.get(outcome).increment();
    if (runNanos > 0) {
      m.ran.record(runNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void jobTimedOut(String queue, String type) {
    meters(queue, type).timedOut.increment();
  }

  @Override
  public void claimed(String queue, int jobs) {
    ClaimMeters m = claims.get(queue);
    if (m == null) {
      m = claims.computeIfAbsent(queue, q -> new ClaimMeters(registry, q));
    }
    m.calls.increment();
    m.jobs.increment(jobs);
  }

  @Override
  public void redisCalled(RedisCall call, long nanos) {
    redisCalls.get(call).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void redisUnavailable() {
    outages.increment();
  }

  /** Each worker knows its own outage: one worker back must not hide another still cut off. */
  private double secondsDown() {
    long nanos = 0;
    for (Worker w : workers) {
      nanos = Math.max(nanos, w.redisUnavailableNanos());
    }
    return nanos / 1e9;
  }

  /**
   * No lock and no allocation once the pair was seen: two lookups, three (and a size) for a
   * type past the bound. Keyed by the type's tag, so types past the bound share one entry and
   * grow nothing.
   */
  private JobMeters meters(String queue, String type) {
    Map<String, JobMeters> byType = byQueueAndType.get(queue);
    if (byType == null) {
      byType = byQueueAndType.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
    }
    JobMeters m = byType.get(type);
    if (m == null) {
      String tag = typeTag(type);
      m = byType.get(tag);
      if (m == null) {
        m = byType.computeIfAbsent(tag, t -> new JobMeters(registry, queue, t));
      }
    }
    return m;
  }

  /** The type itself while fewer than {@link #MAX_TYPES} have a tag, else {@link #OTHER_TYPE}. */
  private String typeTag(String type) {
    if (typeTags.containsKey(type)) {
      return type;
    }
    if (typeTags.size() >= MAX_TYPES) {
      return OTHER_TYPE; // the cap only grows: no lock on the path of every such event
    }
    synchronized (typeTags) {
      if (typeTags.size() >= MAX_TYPES && !typeTags.containsKey(type)) {
        return OTHER_TYPE;
      }
      typeTags.put(type, type);
      return type;
    }
  }

  /** The meters of one queue and type; a type past the bound shares {@code other}'s meters. */
  private static final class JobMeters {
    final Map<AttemptOutcome, Counter> ended = new EnumMap<>(AttemptOutcome.class);
    final Counter timedOut;
    final Timer ran;
    final Timer waited;

    JobMeters(MeterRegistry registry, String queue, String type) {
      for (AttemptOutcome o : AttemptOutcome.values()) {
        ended.put(o, Counter.builder("jobq.jobs")
            .description("Attempts ended, by how they ended")
            .tags("queue", queue, "type", type, "outcome", o.tag())
            .register(registry));
      }
      timedOut = Counter.builder("jobq.job.timeouts")
          .description("Attempts that ran past their timeout (also counted in jobq.jobs as"
              + " retried or dead-lettered)")
          .tags("queue", queue, "type", type).register(registry);
      ran = Timer.builder("jobq.job.duration").description("How long handlers ran")
          .tags("queue", queue, "type", type).publishPercentileHistogram()
          .minimumExpectedValue(JOB_MIN).maximumExpectedValue(JOB_MAX).register(registry);
      waited = Timer.builder("jobq.job.wait")
          .description("From a job becoming ready to its claim, in Redis's clock")
          .tags("queue", queue, "type", type).publishPercentileHistogram()
          .minimumExpectedValue(JOB_MIN).maximumExpectedValue(JOB_MAX).register(registry);
    }
  }

  private static final class ClaimMeters {
    final Counter calls;
    final Counter jobs;

    ClaimMeters(MeterRegistry registry, String queue) {
      calls = Counter.builder("jobq.claims").description("Claim calls, answered")
          .tag("queue", queue).register(registry);
      jobs = Counter.builder("jobq.claimed.jobs").description("Jobs claimed")
          .tag("queue", queue).register(registry);
    }
  }
}
