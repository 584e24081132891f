package dev.jobq.worker;

import dev.jobq.JobHandler;
import dev.jobq.JobMiddleware;
import dev.jobq.JobRequest;
import dev.jobq.RetryPolicy;
import dev.jobq.internal.Names;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A worker process's runtime: claims jobs from its queues, runs them on a bounded set of
 * threads, keeps their leases alive, reports the outcomes, and stops gracefully.
 *
 * <pre>{@code
 * Worker worker = Worker.builder(broker)
 *     .queues("critical", "default")
 *     .concurrency(8)
 *     .handler("email.send", ctx -> mailer.send(ctx.payload(Email.class)))
 *     .build();
 * System.exit(worker.runUntilSignalled());
 * }</pre>
 */
public final class Worker implements AutoCloseable {
  public static final int DEFAULT_CONCURRENCY = 10;
  public static final int MAX_CONCURRENCY = 10_000;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration MIN_LEASE = Duration.ofMillis(100);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final int MAX_WEIGHT = 1_000;

  private final WorkerConfig config;
  private final WorkerRuntime runtime;

  private Worker(WorkerBroker broker, WorkerConfig config) {
    this.config = config;
    this.runtime = new WorkerRuntime(broker, config, () -> config.listener().workerStopped(this));
  }

  /**
   * A builder for a worker over {@code broker}: the worker calls only {@link WorkerBroker}'s
   * methods, so any {@code Broker} (a {@code RedisBroker}, an {@code InMemoryBroker}) will do.
   */
  public static Builder builder(WorkerBroker broker) {
    return new Builder(broker);
  }

  /**
   * Starts the fetch loop, the maintenance and the outbox threads; returns at once. Throws
   * {@link WorkerNameTakenException}, starting nothing, when a live worker has this name, and
   * {@link dev.jobq.BrokerConfigurationException} when Redis refuses the settings (a wrong
   * password, a URL of the wrong kind). An unreachable Redis is waited for.
   */
  public void start() {
    runtime.start();
    config.listener().workerStarted(this);
  }

  /**
   * Claims and runs the ready jobs of this worker's queues on the calling thread, one at a
   * time, until none is ready or {@code max} ran, and returns how many attempts ran: for tests, where a job
   * should run where and when the test says (queue-testing's {@code TestJobs.drain()}). Only
   * for a worker that is never started; its handlers, middleware, timeouts and retry policy
   * apply as on its own threads.
   */
  public int runReadyJobs(int max) {
    return runtime.runReadyJobs(max);
  }

  /**
   * Stops gracefully: claims nothing more, lets running jobs finish within the shutdown grace,
   * then interrupts the rest and releases their jobs without spending an attempt, and
   * deregisters. Returns when done; concurrent callers all wait for the same stop.
   */
  public void shutdown() {
    runtime.shutdown();
  }

  /** Waits until a shutdown has finished; false if {@code timeout} passed first. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return runtime.awaitTermination(timeout);
  }

  /**
   * For a worker's {@code main}: starts, then blocks until SIGTERM or SIGINT (or another thread's
   * {@link #shutdown()}) has stopped the worker gracefully. A second signal skips the rest of
   * the grace period. Returns the exit code, 0.
   */
  @SuppressWarnings("try") // the resource only scopes the MDC / signal handlers
  public int runUntilSignalled() {
    start();
    Thread stopper = new Thread(runtime::shutdown, "jobq-shutdown-" + config.name());
    try (Signals signals = Signals.install(stopper::start, runtime::hurry)) {
      runtime.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.shutdown();
    }
    return 0;
  }

  /** This worker's id in the registry and in every lease it holds. */
  public String name() {
    return config.name();
  }

  /** How many handlers run now (at most the concurrency): a gauge for metrics. */
  public int busyThreads() {
    return runtime.busyThreads();
  }

  /** How many jobs may run at once now (an operator may have changed it). */
  public int concurrency() {
    return runtime.concurrency();
  }

  /** How many outcomes wait in the local outbox for Redis to answer again: a gauge for metrics. */
  public int outboxSize() {
    return runtime.outboxSize();
  }

  /**
   * How long Redis has not answered this worker, in nanoseconds; 0 while it answers: a gauge
   * for metrics.
   */
  public long redisUnavailableNanos() {
    return runtime.redisUnavailableNanos();
  }

  /** How many jobs this worker holds a lease on: running, or with an outcome on its way. */
  int heldJobs() {
    return runtime.heldJobs();
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "Worker{" + config.name() + "}";
  }

  /** Collects a worker's settings; every one has a default, checked together by {@link #build}. */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+=\\-]*");

    private final WorkerBroker broker;
    private List<String> queues = List.of(JobRequest.DEFAULT_QUEUE);
    private Map<String, Integer> weights;
    private int concurrency = DEFAULT_CONCURRENCY;
    private String name;
    private Duration lease = DEFAULT_LEASE;
    private Duration heartbeatInterval;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private final List<Class<? extends Throwable>> permanentTypes = new ArrayList<>();
    private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    private final List<ClassLoader> discoverFrom = new ArrayList<>();
    private final List<JobMiddleware> middleware = new ArrayList<>();
    private boolean builtInHandlers = true;
    private WorkerListener listener = WorkerListener.NONE;

    private Builder(WorkerBroker broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    /** The queues to work, in strict priority order: a later one only gets what the earlier leave. */
    public Builder queues(String... queues) {
      return queues(Arrays.asList(queues));
    }

    public Builder queues(List<String> queues) {
      this.queues = List.copyOf(queues);
      this.weights = null;
      return this;
    }

    /** The queues to work, each fetch visiting them in a random order drawn by weight. */
    public Builder weightedQueues(Map<String, Integer> weights) {
      this.weights = new LinkedHashMap<>(weights);
      this.queues = null;
      return this;
    }

    /** How many jobs run at once, each on its own thread. Default 10. */
    public Builder concurrency(int threads) {
      this.concurrency = threads;
      return this;
    }

    /** The worker's id; default {@code host:pid:random}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** How long a claimed job stays this worker's without renewal. Default 30 s. */
    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    /** How often leases are renewed, the heartbeat written and the reaper run; default lease / 3. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /** The time an attempt may take when its job names none. Default 10 min. */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = timeout;
      return this;
    }

    /** How long a shutdown waits for running jobs before releasing them. Default 30 s. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * The backoff for jobs that name none (the attempts are always the job's own), and the
     * policy the reaper applies to expired leases. Default {@link RetryPolicy#DEFAULT}.
     */
    public Builder retryPolicy(RetryPolicy defaultPolicy) {
      this.retryPolicy = defaultPolicy;
      return this;
    }

    /**
     * Exception types that fail a job for good, skipping its remaining attempts (also when
     * found as a cause). {@link PermanentFailureException} always does.
     */
    @SafeVarargs
    public final Builder permanentFailure(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> t : types) {
        permanentTypes.add(Objects.requireNonNull(t, "permanent failure type"));
      }
      return this;
    }

    /** Registers a handler in code; it wins over discovered and built-in ones. */
    public Builder handler(String type, JobHandler handler) {
      Names.checkType(type);
      Objects.requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(type, handler) != null) {
        throw new IllegalArgumentException("a handler for job type '" + type + "' is already"
            + " registered on this builder");
      }
      return this;
    }

    /**
     * Adds middleware around every attempt, after (inside) the middleware added before it and
     * before any discovered one. See {@link JobMiddleware}.
     */
    public Builder middleware(JobMiddleware m) {
      middleware.add(Objects.requireNonNull(m, "middleware"));
      return this;
    }

    /**
     * Adds the handlers of every {@link dev.jobq.JobHandlerProvider}, and the {@link
     * JobMiddleware}, that {@link java.util.ServiceLoader} finds through {@code loader}.
     */
    public Builder discoverHandlers(ClassLoader loader) {
      discoverFrom.add(Objects.requireNonNull(loader, "loader"));
      return this;
    }

    /** Whether {@code jobq.noop}, {@code jobq.sleep}, {@code jobq.echo}, {@code jobq.fail} exist. */
    public Builder builtInHandlers(boolean enabled) {
      this.builtInHandlers = enabled;
      return this;
    }

    /**
     * Hears the attempts, claims, Redis calls and outages, for metrics (see {@link
     * WorkerListener}); what it throws is logged and ignored. Default {@link WorkerListener#NONE}.
     */
    public Builder listener(WorkerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Checks every setting and finds the handlers; throws {@link IllegalArgumentException} (or
     * {@link IllegalStateException} for a broken handler jar) naming the bad value.
     */
    public Worker build() {
      QueueOrder order = weights != null
          ? QueueOrder.weighted(Checks.weights(weights, MAX_WEIGHT))
          : QueueOrder.strict(Checks.queues(queues));
      Checks.range("concurrency", concurrency, 1, MAX_CONCURRENCY);
      Checks.atLeast("lease", lease, MIN_LEASE);
      Duration heartbeat = heartbeatInterval != null ? heartbeatInterval : lease.dividedBy(3);
      Checks.heartbeat(heartbeat, lease);
      Checks.atLeast("default timeout", defaultTimeout, Duration.ofMillis(1));
      Checks.atLeast("shutdown grace", shutdownGrace, Duration.ZERO);
      Objects.requireNonNull(retryPolicy, "retry policy");
      HandlerRegistry registry = HandlerRegistry.build(handlers, middleware, discoverFrom,
          builtInHandlers);
      if (registry.isEmpty()) {
        throw new IllegalArgumentException("the worker has no handlers: register one with"
            + " handler(type, handler), discoverHandlers(loader) or builtInHandlers(true)");
      }
      String id = Checks.name(name != null ? name : defaultName(), NAME);
      return new Worker(broker, new WorkerConfig(order, concurrency, id, lease, heartbeat,
          defaultTimeout, shutdownGrace, retryPolicy, List.copyOf(permanentTypes), registry,
          GuardedListener.of(listener)));
    }
  }

  static String defaultName() {
    return WorkerRuntime.host() + ":" + ProcessHandle.current().pid() + ":"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
  }
}
