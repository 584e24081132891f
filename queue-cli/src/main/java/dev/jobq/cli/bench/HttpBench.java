package dev.jobq.cli.bench;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.cli.CommandFailed;
import dev.jobq.http.HttpApi;
import dev.jobq.http.HttpSettings;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jobq bench --http}: the same measures through the HTTP API, served in this JVM on a
 * free 127.0.0.1 port by an {@link HttpApi} with a connection pool of its own the size {@code
 * jobq serve} uses; producers and agents are HTTP/1.1 clients (keep-alive), one per thread.
 */
public final class HttpBench {
  /** The figures measured through the API, and the agents and claim size they used. */
  public record Figures(int agents, int claimMax, double enqueueBatchPerSecond,
      double endToEndPerSecond, double pickupP50Ms, double pickupP95Ms, double pickupP99Ms) {}

  /** As {@code jobq serve}'s pool: requests run on Jetty's threads, each holding a connection. */
  static final int SERVER_POOL_SIZE = 16;
  static final int CLAIM_MAX = 100;
  /** An agent's long-poll while draining: short, so that agents notice the end soon. */
  static final String DRAIN_WAIT = "1s";
  static final String PICKUP_WAIT = "10s";
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private final RedisConfig config;
  private final Bench.Plan plan;
  private final int agents;
  private final String payload;
  private RedisBroker serverBroker;
  private HttpApi api;
  private String base;

  public HttpBench(RedisConfig config, Bench.Plan plan, int agents) {
    this.config = config;
    this.plan = plan;
    this.agents = agents;
    this.payload = Bench.payloadOf(plan.payloadBytes());
  }

  public Figures run() throws InterruptedException {
    serverBroker = RedisBroker.connect(RedisConfig.builder().url(config.url().toString())
        .prefix(config.prefix()).caFile(config.caFile()).poolSize(SERVER_POOL_SIZE).build());
    try {
      // the bench's own server on a loopback port: every route open, as no token is in play
      HttpSettings open = HttpSettings.builder().openAccess().build();
      api = HttpApi.create(serverBroker, open).start("127.0.0.1", 0, "");
      base = "http://127.0.0.1:" + api.port() + "/v1";
      if (plan.warmup() > 0) {
        produce("http-warmup", plan.warmup());
        drain("http-warmup", plan.warmup());
      }
      double enqueued = produce("http-drain", plan.jobs());
      double drained = drain("http-drain", plan.jobs());
      double[] pickup = pickupMillis();
      return new Figures(agents, CLAIM_MAX, enqueued, drained, pickup[0], pickup[1], pickup[2]);
    } finally {
      if (api != null) {
        api.stop();
      }
      serverBroker.close();
    }
  }

  /**
   * Posts n jobs in arrays of the plan's batch size, split evenly over the plan's producer
   * threads; jobs per second from the start to the last producer's end.
   */
  private double produce(String queue, int n) throws InterruptedException {
    long start = System.nanoTime();
    runThreads("producer", plan.producers(), t -> {
      HttpAgent producer = new HttpAgent(base, "bench-producer-" + t);
      int from = (int) ((long) n * t / plan.producers());
      int to = (int) ((long) n * (t + 1) / plan.producers());
      for (int i = from; i < to; i += plan.batch()) {
        producer.enqueue(queue, jobsArray(i, Math.min(to, i + plan.batch())));
      }
    });
    return perSecond(n, System.nanoTime() - start);
  }

  /** The JSON array of jobs from..to-1, priorities given in turn as in the direct measure. */
  private String jobsArray(int from, int to) {
    List<Priority> mix = plan.priorities();
    StringBuilder json = new StringBuilder((to - from) * (payload.length() + 64)).append('[');
    for (int i = from; i < to; i++) {
      json.append(i > from ? "," : "").append("{\"type\":\"jobq.noop\",\"payload\":")
          .append(payload).append(",\"priority\":\"")
          .append(mix.get(i % mix.size()).name().toLowerCase(Locale.ROOT)).append("\"}");
    }
    return json.append(']').toString();
  }

  /**
   * The agents drain a queue holding n jobs, each claiming up to 100 at a time (long-polling
   * up to a second) and completing what it claimed in one call; jobs per second from the first
   * claim that got a job to the last completion the server accepted.
   */
  private double drain(String queue, int n) throws InterruptedException {
    AtomicInteger completed = new AtomicInteger();
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    runThreads("agent", agents, t -> {
      HttpAgent agent = new HttpAgent(base, "bench-agent-" + t);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (completed.get() < n) {
        if (System.nanoTime() > deadline) {
          throw new CommandFailed("the HTTP agents completed " + completed.get() + " of " + n
              + " jobs in " + DEADLINE.toMinutes() + " minutes; is the server overloaded?");
        }
        List<HttpAgent.Lease> leases = agent.claim(queue, CLAIM_MAX, DRAIN_WAIT);
        if (!leases.isEmpty()) {
          first.compareAndSet(0, System.nanoTime());
          completed.addAndGet(agent.complete(queue, leases));
          last.accumulateAndGet(System.nanoTime(), Math::max);
        }
      }
    });
    return perSecond(n, last.get() - first.get());
  }

  /**
   * One job at a time to an agent waiting in a long-polling claim, in ms: from the enqueue call
   * (on the direct client, as in the direct measure) to the agent holding the claim's answer.
   */
  private double[] pickupMillis() throws InterruptedException {
    JobClient producer = JobClient.create(serverBroker);
    double[] latencies = new double[plan.pickupSamples()];
    AtomicReference<CompletableFuture<Long>> claimed =
        new AtomicReference<>(new CompletableFuture<>());
    AtomicInteger claims = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread agent = new Thread(() -> pickUp(claimed, claims, stop), "jobq-bench-pickup-agent");
    agent.setDaemon(true);
    agent.start();
    try {
      for (int i = 0; i < latencies.length; i++) {
        awaitParkedClaim(claims);
        long called = System.nanoTime();
        producer.enqueue(pickupJob());
        latencies[i] = (awaitSample(claimed.get()) - called) / 1e6;
        claimed.set(new CompletableFuture<>());
      }
    } finally {
      // the agent is parked in a claim: one more job lets it see the stop at once
      stop.set(true);
      producer.enqueue(pickupJob());
      agent.join(DEADLINE.toMillis());
    }
    Arrays.sort(latencies);
    return new double[] {Bench.quantile(latencies, 0.50), Bench.quantile(latencies, 0.95),
        Bench.quantile(latencies, 0.99)};
  }

  private JobRequest pickupJob() {
    return JobRequest.builder("jobq.noop").queue("http-pickup").payload(payload).build();
  }

  /**
   * The pickup agent: claims and completes until told to stop, stamping each claim's answer.
   * It counts its claims before sending them, for {@link #awaitParkedClaim}; the sample's
   * future is replaced only after it completed it, so each stamp goes to its own sample.
   */
  private void pickUp(AtomicReference<CompletableFuture<Long>> claimed, AtomicInteger claims,
      AtomicBoolean stop) {
    HttpAgent agent = new HttpAgent(base, "bench-pickup");
    try {
      while (!stop.get()) {
        claims.incrementAndGet();
        List<HttpAgent.Lease> leases = agent.claim("http-pickup", 1, PICKUP_WAIT);
        long at = System.nanoTime();
        if (!leases.isEmpty()) {
          agent.complete("http-pickup", leases);
          claimed.get().complete(at);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      claimed.get().completeExceptionally(e);
    }
  }

  /**
   * Waits until the agent's next claim is parked in Redis (a blocked client), so that every
   * sample measures a long-poll's wake-up; on a shared Redis other blocked clients make this a
   * shorter wait, never a longer one.
   */
  private void awaitParkedClaim(AtomicInteger claims) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (claims.get() == 0 || blockedClients() == 0) {
      if (System.nanoTime() > deadline) {
        throw new CommandFailed("the pickup agent's claim did not reach Redis in 5 s");
      }
    }
    claims.set(0);
  }

  private long blockedClients() {
    return Long.parseLong(serverBroker.tools().serverInfo("clients")
        .getOrDefault("blocked_clients", "0"));
  }

  private static long awaitSample(CompletableFuture<Long> sample) throws InterruptedException {
    try {
      return sample.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new CommandFailed("a pickup job was not claimed over HTTP: " + e);
    }
  }

  /** The body of thread t of n, which may be interrupted or fail. */
  private interface Body {
    void run(int t) throws InterruptedException;
  }

  /** Runs n threads at once and waits for all; the first failure is rethrown. */
  private static void runThreads(String role, int n, Body body) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int t = 0; t < n; t++) {
      int index = t;
      Thread thread = new Thread(() -> {
        try {
          body.run(index);
        } catch (Throwable e) {
          failed.compareAndSet(null, e);
        }
      }, "jobq-bench-http-" + role + "-" + t);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failed.get() instanceof RuntimeException e) {
      throw e;
    }
    if (failed.get() != null) {
      throw new CommandFailed("an HTTP " + role + " thread failed: " + failed.get());
    }
  }

  private static double perSecond(long n, long nanos) {
    return n * 1e9 / Math.max(1, nanos);
  }
}
