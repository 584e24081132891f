package dev.jobq.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobHandler;
import dev.jobq.JobMiddleware;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import dev.jobq.spi.Broker;
import dev.jobq.worker.Worker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The jobs of one test, on an {@link InMemoryBroker} of its own: register handlers, look at what
 * was enqueued, run it. Given to a {@link JobqTest} as a parameter, with the {@link #client()}
 * the code under test should enqueue through.
 */
public final class TestJobs implements AutoCloseable {
  /** When the clock starts: a fixed instant, so that tests read the same times on every run. */
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  /** More attempts than this in one {@link #drain} mean jobs that make jobs without end. */
  static final int MAX_ATTEMPTS_PER_DRAIN = 10_000;

  private final JobqTest.Mode mode;
  private final ManualClock clock = new ManualClock(START);
  private final InMemoryBroker broker = new InMemoryBroker(clock);
  private final JobClient client;
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private final List<JobMiddleware> middleware = new ArrayList<>();
  /** Every job enqueued through {@link #client()}, as queue and id, in order. */
  private final List<EnqueueResult> enqueued = new CopyOnWriteArrayList<>();
  private Worker worker;
  private boolean draining;

  TestJobs(JobqTest.Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.client = JobClient.create(recording(broker));
  }

  /** The client for the code under test: what it enqueues is recorded, and run inline. */
  public JobClient client() {
    return client;
  }

  public InMemoryBroker broker() {
    return broker;
  }

  public ManualClock clock() {
    return clock;
  }

  public JobqTest.Mode mode() {
    return mode;
  }

  /** Runs jobs of {@code type} with {@code handler} from now on; replaces an earlier one. */
  public synchronized TestJobs handler(String type, JobHandler handler) {
    requireNoWorker("handler");
    handlers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Wraps every handler, as {@link Worker.Builder#middleware} does. */
  public synchronized TestJobs middleware(JobMiddleware m) {
    requireNoWorker("middleware");
    middleware.add(Objects.requireNonNull(m, "middleware"));
    return this;
  }

  /** Every job enqueued through {@link #client()}, as it is now, in the order enqueued. */
  public List<Job> enqueued() {
    return enqueued.stream().map(r -> broker.get(r.queue(), r.jobId()).orElse(null))
        .filter(Objects::nonNull).toList();
  }

  /** The jobs of one type enqueued through {@link #client()}, as they are now. */
  public List<Job> enqueued(String type) {
    return enqueued().stream().filter(j -> j.type().equals(type)).toList();
  }

  /**
   * The one job of {@code type} enqueued with this payload (compared as JSON, so spacing and
   * key order do not matter); an {@link AssertionError} listing those of the type otherwise.
   */
  public Job assertEnqueued(String type, String payloadJson) {
    JsonNode expected = Json.tree(payloadJson);
    List<Job> ofType = enqueued(type);
    List<Job> matching = ofType.stream().filter(j -> j.payloadTree().equals(expected)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one '" + type + "' job with payload " + payloadJson
          + ", found " + matching.size() + "; the '" + type + "' jobs enqueued: "
          + describe(ofType));
    }
    return matching.get(0);
  }

  /** Asserts how many jobs of {@code type} were enqueued, listing them when the count differs. */
  public void assertEnqueuedCount(String type, int expected) {
    List<Job> ofType = enqueued(type);
    if (ofType.size() != expected) {
      throw new AssertionError("expected " + expected + " '" + type + "' job(s), found "
          + ofType.size() + ": " + describe(ofType));
    }
  }

  public void assertNothingEnqueued() {
    if (!enqueued.isEmpty()) {
      throw new AssertionError("expected no job enqueued, found " + describe(enqueued()));
    }
  }

  /**
   * Runs every job that is ready, on this thread, with the registered handlers and middleware,
   * then moves the clock to the next delayed job (a retry's backoff, a delay) and runs that,
   * until no job is ready or delayed. Blocked jobs whose parents never complete stay blocked.
   * Returns how many attempts ran.
   */
  public synchronized int drain() {
    if (draining) {
      return 0; // a handler's own enqueue in inline mode: the running drain takes its jobs
    }
    if (worker != null) {
      throw new IllegalStateException("drain() while the worker of startWorker() runs the jobs");
    }
    int ran = 0;
    while (true) {
      int now = runReady(MAX_ATTEMPTS_PER_DRAIN + 1 - ran);
      ran += now;
      if (ran > MAX_ATTEMPTS_PER_DRAIN) {
        throw new AssertionError("drain ran " + ran + " attempts and jobs are still ready:"
            + " do handlers enqueue jobs without end? " + describe(enqueued()));
      }
      if (now > 0) {
        continue;
      }
      Instant next = nextDelayed();
      if (next == null) {
        return ran;
      }
      clock.advanceTo(next);
    }
  }

  /** Runs the jobs ready now, on this thread, without moving the clock; returns how many. */
  public int runReady() {
    return runReady(Integer.MAX_VALUE);
  }

  private synchronized int runReady(int max) {
    if (draining || broker.queues().isEmpty()) {
      return 0;
    }
    draining = true;
    try (Worker w = workerBuilder(List.copyOf(broker.queues())).build()) {
      return w.runReadyJobs(max);
    } finally {
      draining = false;
    }
  }

  /**
   * Starts a real worker on these queues ({@code default} when none is named), with the
   * registered handlers; it stops when the test ends. Only in {@link JobqTest.Mode#WORKER}.
   */
  public synchronized Worker startWorker(String... queues) {
    if (mode != JobqTest.Mode.WORKER) {
      throw new IllegalStateException("startWorker() needs @JobqTest(mode = WORKER); this test"
          + " runs in mode " + mode + ", where drain() runs the jobs");
    }
    requireNoWorker("startWorker");
    List<String> names = queues.length == 0 ? List.of("default") : List.of(queues);
    worker = workerBuilder(names).heartbeatInterval(Duration.ofMillis(100)).build();
    worker.start();
    return worker;
  }

  /** Stops the worker, if one was started, and closes the broker. */
  @Override
  public synchronized void close() {
    try {
      if (worker != null) {
        worker.close();
      }
    } finally {
      broker.close();
    }
  }

  private Worker.Builder workerBuilder(List<String> queues) {
    // a worker needs a handler; with none registered, jobs fail as a type nobody handles
    Worker.Builder b = Worker.builder(broker).queues(queues).builtInHandlers(handlers.isEmpty())
        .name("test-" + mode.name().toLowerCase(Locale.ROOT));
    handlers.forEach(b::handler);
    middleware.forEach(b::middleware);
    return b;
  }

  private void requireNoWorker(String what) {
    if (worker != null) {
      throw new IllegalStateException(what + "() after startWorker(): register handlers and"
          + " middleware before the worker starts");
    }
  }

  /** When the earliest delayed job of any queue falls due; null when none is delayed. */
  private Instant nextDelayed() {
    Instant next = null;
    for (String queue : broker.queues()) {
      for (Job j : broker.list(queue, JobStatus.DELAYED, 0, 1).jobs()) {
        if (j.runAt() != null && (next == null || j.runAt().isBefore(next))) {
          next = j.runAt();
        }
      }
    }
    return next;
  }

  private static String describe(List<Job> jobs) {
    return jobs.isEmpty() ? "none" : jobs.stream()
        .map(j -> j.type() + " " + j.id() + " " + j.status() + " " + j.payload())
        .collect(Collectors.joining("; ", "[", "]"));
  }

  /**
   * The broker the client sees: records each created job and, inline, runs what an enqueue
   * made ready before the enqueue returns.
   */
  private Broker recording(Broker target) {
    return (Broker) Proxy.newProxyInstance(Broker.class.getClassLoader(),
        new Class<?>[] {Broker.class}, (proxy, method, args) -> {
          Object out;
          try {
            out = method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("enqueue")) {
            afterEnqueue(out);
          }
          return out;
        });
  }

  private void afterEnqueue(Object results) {
    for (Object r : (List<?>) results) {
      EnqueueResult result = (EnqueueResult) r;
      if (result.created()) {
        enqueued.add(result);
      }
    }
    if (mode == JobqTest.Mode.INLINE) {
      drain();
    }
  }
}
