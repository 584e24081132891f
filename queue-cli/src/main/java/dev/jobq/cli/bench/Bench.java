package dev.jobq.cli.bench;

import dev.jobq.JobClient;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.cli.CommandFailed;
import dev.jobq.metrics.JobqWorkerMetrics;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.worker.Worker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The measurements of {@code jobq bench}, each on a queue of its own under a throwaway prefix.
 * Workers are in this JVM, each with its own connection pool as a worker process would have;
 * times are taken in this JVM with {@link System#nanoTime}, so no clocks are compared.
 */
public final class Bench {
  /** What one run measures with: the command's options, settled. */
  public record Plan(int jobs, int payloadBytes, List<Priority> priorities, int producers, int workers,
      int concurrency, int batch, int warmup, int pickupSamples, int referenceRequests,
      boolean metrics, int queues) {}

  /** Enqueues jobs from..to-1 of a measure: the share of one producer thread. */
  private interface Share {
    void enqueue(int from, int to);
  }

  private static final String TYPE = "jobq.noop";
  private static final Duration DRAIN_DEADLINE = Duration.ofMinutes(10);

  private final RedisConfig config;
  private final RedisBroker broker;
  private final JobClient client;
  private final Plan plan;
  private final String payload;
  private final RedisCounters counters;
  /** The queues the batch enqueue and the drain spread their jobs over, job i on queue i % n. */
  private List<String> queues;
  /** The connection pools of the running workers, closed when they stop. */
  private final List<RedisBroker> workerBrokers = new ArrayList<>();

  public Bench(RedisConfig config, RedisBroker broker, Plan plan) {
    this.config = config;
    this.broker = broker;
    this.client = JobClient.create(broker);
    this.plan = plan;
    this.payload = payloadOf(plan.payloadBytes());
    this.counters = new RedisCounters(broker.tools());
  }

  /** {"p":"xxx…"}, exactly {@code bytes} long (at least the 8 bytes of the frame). */
  static String payloadOf(int bytes) {
    return "{\"p\":\"" + "x".repeat(Math.max(0, bytes - 8)) + "\"}";
  }

  public BenchReport run() throws InterruptedException {
    queues = Shards.spread(broker.tools(), plan.queues());
    Map<String, String> nodeOfQueue = new LinkedHashMap<>();
    queues.forEach(q -> nodeOfQueue.put(q, broker.tools().nodeOf(q)));
    warmUp();
    double single = produce(Math.max(1, plan.jobs() / 4),
        (from, to) -> enqueueSingly("single", from, to));
    RedisCounters.Reading before = counters.read();
    double batched = produce(plan.jobs(), this::enqueueInBatches);
    RedisCounters.Reading waiting = counters.read();
    double drained = drain(plan.jobs());
    RedisCounters.Reading after = counters.read();
    double[] pickup = pickupMillis();
    RedisReference.Figures reference = new RedisReference(config).measure(plan.referenceRequests());
    RedisCounters.Node start = before.total();
    RedisCounters.Node middle = waiting.total();
    RedisCounters.Node end = after.total();
    return new BenchReport(plan, redisVersion(), single, batched, drained,
        pickup[0], pickup[1], pickup[2],
        perJob(RedisCounters.grown(start.calls(), end.calls())),
        perJob(RedisCounters.microsSpent(start, middle)),
        perJob(RedisCounters.microsSpent(middle, end)),
        (double) (middle.memory() - start.memory()) / plan.jobs(),
        (double) (end.memory() - start.memory()) / plan.jobs(),
        (end.cpuSeconds() - start.cpuSeconds()) * 1000 / plan.jobs(),
        reference, null,
        Shards.of(before, after, nodeOfQueue, queues, plan.jobs(), drained));
  }

  private void warmUp() throws InterruptedException {
    if (plan.warmup() > 0) {
      produce(Math.min(plan.warmup(), 1000), (from, to) -> enqueueSingly("warmup", from, to));
      // on the measured queues, so that every node has run the scripts before the measure
      produce(plan.warmup(), this::enqueueInBatches);
      drain(plan.warmup());
      drain("warmup", Math.min(plan.warmup(), 1000));
    }
  }

  private JobRequest request(String queue, int i) {
    List<Priority> mix = plan.priorities();
    return JobRequest.builder(TYPE).queue(queue).payload(payload)
        .priority(mix.get(i % mix.size())).build();
  }

  /**
   * Enqueues n jobs split evenly over the plan's producer threads, all started at once; jobs per
   * second from the start to the last producer's end.
   */
  private double produce(int n, Share share) throws InterruptedException {
    List<Thread> producers = new ArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    long start = System.nanoTime();
    for (int t = 0; t < plan.producers(); t++) {
      int from = (int) ((long) n * t / plan.producers());
      int to = (int) ((long) n * (t + 1) / plan.producers());
      Thread producer = new Thread(() -> {
        try {
          share.enqueue(from, to);
        } catch (Throwable e) {
          failed.compareAndSet(null, e);
        }
      }, "jobq-bench-producer-" + t);
      producer.setDaemon(true);
      producer.start();
      producers.add(producer);
    }
    for (Thread producer : producers) {
      producer.join();
    }
    if (failed.get() instanceof RuntimeException e) {
      throw e;
    }
    if (failed.get() != null) {
      throw new CommandFailed("a producer thread failed: " + failed.get());
    }
    return perSecond(n, System.nanoTime() - start);
  }

  private void enqueueSingly(String queue, int from, int to) {
    for (int i = from; i < to; i++) {
      client.enqueue(request(queue, i));
    }
  }

  /** Job i goes to queue i % queues.size(). */
  private void enqueueInBatches(int from, int to) {
    List<JobRequest> batch = new ArrayList<>(plan.batch());
    for (int i = from; i < to; i++) {
      batch.add(request(queues.get(i % queues.size()), i));
      if (batch.size() == plan.batch() || i == to - 1) {
        client.enqueueAll(batch);
        batch.clear();
      }
    }
  }

  /**
   * Starts the workers on the measured queues, which hold {@code n} jobs between them, and
   * returns jobs per second from the first handler start to the last completion Redis accepted.
   */
  private double drain(int n) throws InterruptedException {
    return drain(queues, n);
  }

  private double drain(String queue, int n) throws InterruptedException {
    return drain(List.of(queue), n);
  }

  private double drain(List<String> queues, int n) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(n);
    AtomicLong firstStart = new AtomicLong();
    JobHandler noop = new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        firstStart.compareAndSet(0, System.nanoTime());
        return null;
      }

      @Override
      public void onSuccess(JobContext ctx, Object result) {
        done.countDown();
      }
    };
    List<Worker> workers = startWorkers(queues, plan.workers(), plan.concurrency(), noop);
    try {
      if (!done.await(DRAIN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new CommandFailed("the workers completed " + (n - done.getCount()) + " of " + n
            + " jobs in " + DRAIN_DEADLINE.toMinutes() + " minutes; is Redis overloaded?");
      }
      return perSecond(n, System.nanoTime() - firstStart.get());
    } finally {
      stop(workers);
    }
  }

  /**
   * One job at a time into an idle worker, in ms: from the enqueue call to the handler
   * starting. Measured from the call, not its return, because the worker usually starts the job
   * before the producer has read enqueue's reply; so the figure includes enqueue's round trip.
   */
  private double[] pickupMillis() throws InterruptedException {
    int samples = plan.pickupSamples();
    double[] latencies = new double[samples];
    CompletableFuture<?>[] finished = {new CompletableFuture<>()};
    AtomicLong started = new AtomicLong();
    JobHandler stamp = new JobHandler() {
      @Override
      public Object handle(JobContext ctx) {
        started.set(System.nanoTime());
        return null;
      }

      @Override
      public void onSuccess(JobContext ctx, Object result) {
        finished[0].complete(null);
      }
    };
    List<Worker> workers = startWorkers(List.of("pickup"), 1, 1, stamp);
    try {
      for (int i = 0; i < samples; i++) {
        finished[0] = new CompletableFuture<>();
        started.set(0);
        long called = System.nanoTime();
        client.enqueue(request("pickup", 0));
        awaitQuietly(finished[0]);
        latencies[i] = (started.get() - called) / 1e6;
        // let the worker go back to waiting in Redis, so that every sample finds it idle
        Thread.sleep(2);
      }
    } finally {
      stop(workers);
    }
    Arrays.sort(latencies);
    return new double[] {quantile(latencies, 0.50), quantile(latencies, 0.95),
        quantile(latencies, 0.99)};
  }

  private static void awaitQuietly(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(DRAIN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new CommandFailed("a pickup job did not finish: " + e);
    }
  }

  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private List<Worker> startWorkers(List<String> queues, int count, int threads,
      JobHandler handler) {
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RedisBroker own = RedisBroker.connect(RedisConfig.builder().url(config.url().toString())
          .prefix(config.prefix()).caFile(config.caFile()).poolSize(threads + 4).build());
      workerBrokers.add(own);
      Worker.Builder b = Worker.builder(own).concurrency(threads)
          .name("bench-" + i).builtInHandlers(false).handler(TYPE, handler);
      if (queues.size() == 1) {
        b.queues(queues);
      } else {
        // every fetch visits the queues in a random order, so that all shards drain at once
        Map<String, Integer> even = new LinkedHashMap<>();
        queues.forEach(q -> even.put(q, 1));
        b.weightedQueues(even);
      }
      if (plan.metrics()) {
        // a registry per worker, as each worker process would have its own
        b.listener(new JobqWorkerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      }
      Worker w = b.build();
      w.start();
      workers.add(w);
    }
    return workers;
  }

  private void stop(List<Worker> workers) throws InterruptedException {
    for (Worker w : workers) {
      w.shutdown();
    }
    for (Worker w : workers) {
      w.awaitTermination(Duration.ofSeconds(30));
    }
    workerBrokers.forEach(RedisBroker::close);
    workerBrokers.clear();
  }

  /** Per job of the measure, the largest first. */
  private Map<String, Double> perJob(Map<String, Long> totals) {
    Map<String, Double> perJob = new LinkedHashMap<>();
    totals.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> perJob.put(e.getKey(), (double) e.getValue() / plan.jobs()));
    return perJob;
  }

  private String redisVersion() {
    return broker.tools().serverInfo("server").getOrDefault("redis_version", "?");
  }

  private static double perSecond(long n, long nanos) {
    return n * 1e9 / Math.max(1, nanos);
  }
}
