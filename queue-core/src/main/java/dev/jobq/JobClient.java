package dev.jobq;

import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What producers and operators use: enqueue, look up, repair. Every request is checked before
 * anything is written; a refused call throws {@link InvalidJobException} and writes nothing.
 *
 * <pre>{@code
 * try (Broker broker = RedisBroker.connect("redis://localhost:6379")) {
 *   JobClient client = JobClient.create(broker);
 *   EnqueueResult r = client.enqueue(JobRequest.builder("email.send").payload(json).build());
 * }
 * }</pre>
 */
public final class JobClient {
  /** The largest payload accepted unless configured otherwise: 512 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;
  /** The most jobs one batch may hold. */
  public static final int MAX_BATCH = 10_000;

  private final Broker broker;
  private final int maxPayloadBytes;
  private final EnqueueMiddlewareChain middleware;

  private JobClient(Broker broker, int maxPayloadBytes, EnqueueMiddlewareChain middleware) {
    this.broker = Objects.requireNonNull(broker, "broker");
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException("maxPayloadBytes < 1: " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.middleware = middleware;
  }

  public static JobClient create(Broker broker) {
    return new JobClient(broker, DEFAULT_MAX_PAYLOAD_BYTES, new EnqueueMiddlewareChain(List.of()));
  }

  /** A client that refuses payloads over {@code maxPayloadBytes} UTF-8 bytes. */
  public static JobClient create(Broker broker, int maxPayloadBytes) {
    return new JobClient(broker, maxPayloadBytes, new EnqueueMiddlewareChain(List.of()));
  }

  /** This client with {@code more} middleware after what it has, run in the order given. */
  public JobClient withMiddleware(EnqueueMiddleware... more) {
    return new JobClient(broker, maxPayloadBytes, middleware.with(more));
  }

  /**
   * This client with the middleware {@link java.util.ServiceLoader} finds through {@code
   * loader} ({@code META-INF/services/dev.jobq.EnqueueMiddleware}) after what it has.
   */
  public JobClient withDiscoveredMiddleware(ClassLoader loader) {
    List<EnqueueMiddleware> found = new ArrayList<>();
    java.util.ServiceLoader.load(EnqueueMiddleware.class, loader).forEach(found::add);
    return withMiddleware(found.toArray(EnqueueMiddleware[]::new));
  }

  public Broker broker() {
    return broker;
  }

  public EnqueueResult enqueue(JobRequest request) {
    return enqueueAll(List.of(request)).get(0);
  }

  /**
   * Enqueues jobs that depend on one another ({@link JobRequest.Builder#dependsOn}) in one
   * atomic batch. Checks first, writing nothing if any check fails: the jobs share one queue
   * (parents and children must: a queue is one Cluster slot), no id appears twice, and the
   * dependencies have no cycle. Parents are written before their children; a parent outside the
   * graph must already be in the queue. Results come in the order of {@code requests}.
   */
  public List<EnqueueResult> enqueueGraph(List<JobRequest> requests) {
    List<JobRequest> parentsFirst = GraphOrder.parentsFirst(requests);
    List<EnqueueResult> written = enqueueAll(parentsFirst);
    // paired by position, not by the answer's id: a duplicate of a uniqueness key is answered
    // with the id of the job holding the key
    Map<String, EnqueueResult> results = new HashMap<>();
    for (int i = 0; i < written.size(); i++) {
      results.put(parentsFirst.get(i).id(), written.get(i));
    }
    return requests.stream().map(r -> results.get(r.id())).toList();
  }

  /**
   * Enqueues a batch in one round trip per queue. The whole batch is checked first: one bad
   * request refuses the batch and nothing is written.
   */
  public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    JobClientChecks.checkBatchSize(requests);
    requests = middleware.beforeEnqueue(requests);
    JobClientChecks.checkPayloads(requests, maxPayloadBytes);
    List<EnqueueResult> results = broker.enqueue(requests);
    middleware.afterEnqueue(requests, results);
    return results;
  }

  public Optional<Job> get(String queue, String id) {
    return broker.get(Names.checkQueue(queue), Names.checkJobId(id));
  }

  /** Looks for the id in every known queue. */
  public Optional<Job> find(String id) {
    return broker.find(Names.checkJobId(id));
  }

  /** Like {@link #get} but throws {@link JobNotFoundException} when there is no such job. */
  public Job require(String queue, String id) {
    return get(queue, id).orElseThrow(() -> new JobNotFoundException(queue, id));
  }

  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    JobClientChecks.checkPage(offset, limit);
    return broker.list(Names.checkQueue(queue), Objects.requireNonNull(status), offset, limit);
  }

  public Map<String, CancelOutcome> cancel(String queue, String... ids) {
    return cancel(queue, Arrays.asList(ids));
  }

  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    return broker.cancel(Names.checkQueue(queue), JobClientChecks.checkIds(ids));
  }

  /**
   * Looks through a queue's jobs for those the search matches, a bounded scan: go on from the
   * answer's cursor until it is complete.
   */
  public SearchPage search(String queue, JobSearch search) {
    return broker.search(Names.checkQueue(queue), Objects.requireNonNull(search, "search"));
  }

  /**
   * Deletes a job that no longer runs (cancel an active one first, then wait for its handler to
   * stop); WRONG_STATUS, changing nothing, for one that still runs.
   */
  public JobActionOutcome delete(String queue, String id) {
    return broker.delete(Names.checkQueue(queue), Names.checkJobId(id));
  }

  /** Makes a delayed job waiting now; WRONG_STATUS, changing nothing, when it is not delayed. */
  public JobActionOutcome runNow(String queue, String id) {
    return broker.runNow(Names.checkQueue(queue), Names.checkJobId(id));
  }

  public long retryFailed(String queue, Collection<String> ids) {
    return broker.retryFailed(Names.checkQueue(queue), JobClientChecks.checkIds(ids));
  }

  public long retryAllFailed(String queue) {
    return broker.retryAllFailed(Names.checkQueue(queue));
  }

  /** Deletes the queue's waiting, delayed and blocked jobs (and failed ones if asked). */
  public ClearResult clear(String queue, boolean includeFailed) {
    return broker.clear(Names.checkQueue(queue), includeFailed, false);
  }

  /** What {@link #clear} would delete, changing nothing. */
  public ClearResult previewClear(String queue, boolean includeFailed) {
    return broker.clear(Names.checkQueue(queue), includeFailed, true);
  }

  /** Deletes finished jobs older than {@code age}, in one queue. */
  public long purge(String queue, Duration age) {
    return broker.purge(Names.checkQueue(queue), JobClientChecks.checkAge(age));
  }

  /** Deletes finished jobs older than {@code age}, in every known queue. */
  public long purgeAll(Duration age) {
    JobClientChecks.checkAge(age);
    long n = 0;
    for (String queue : broker.queues()) {
      n += broker.purge(queue, age);
    }
    return n;
  }

  public void pause(String queue) {
    broker.pause(Names.checkQueue(queue));
  }

  public void resume(String queue) {
    broker.resume(Names.checkQueue(queue));
  }

  /** See {@link Broker#setMaxDepth}: off by default; 0 turns it off again. */
  public void setMaxDepth(String queue, long maxDepth) {
    broker.setMaxDepth(Names.checkQueue(queue), JobClientChecks.checkMaxDepth(maxDepth));
  }

  // ---- events and results ----

  /** Follows the event streams of the given queues from now on. */
  public EventCursor followEvents(Collection<String> queues) {
    Map<String, String> tails = new LinkedHashMap<>();
    for (String q : queues) {
      tails.put(Names.checkQueue(q), broker.eventsTail(q));
    }
    return new EventCursor(broker, tails);
  }

  /** Follows event streams from the given positions (queue to position, see {@link EventCursor#positions}). */
  public EventCursor followEvents(Map<String, String> positions) {
    positions.keySet().forEach(Names::checkQueue);
    return new EventCursor(broker, positions);
  }

  /** The newest events of a queue, up to {@code max}, oldest first. */
  public List<JobEvent> recentEvents(String queue, int max) {
    return broker.recentEvents(Names.checkQueue(queue), JobClientChecks.checkEventCount(max));
  }

  /**
   * Calls {@code listener} with every event of the given queues from now on, in order, on a
   * thread of its own, until the returned subscription is closed. A listener that throws is
   * logged and called again with the next event; while Redis is unreachable the thread retries
   * and, as events stay in Redis, misses none.
   */
  public Subscription listen(Collection<String> queues, Consumer<JobEvent> listener) {
    return EventListenerThread.start(followEvents(queues), listener);
  }

  /** A running {@link #listen}: closing it stops the calls within a second. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Follows one job of a queue: its events, and the job read again as it ends. See {@link
   * JobWatch}.
   *
   * @throws JobNotFoundException when the queue has no such job
   */
  public JobWatch watch(String queue, String id) {
    return new JobWatch(this, Names.checkQueue(queue), Names.checkJobId(id));
  }

  /**
   * Waits until the job ends and returns it as it ended: COMPLETED, FAILED (dead-lettered) or
   * CANCELLED. Waits on the queue's event stream (a blocking read, no polling), as {@link
   * JobWatch} does.
   *
   * @throws JobNotFoundException when there is no such job (or retention removed it)
   * @throws TimeoutException when it has not ended within {@code timeout}
   */
  public Job await(String id, Duration timeout) throws InterruptedException, TimeoutException {
    Job job = find(id).orElseThrow(() -> new JobNotFoundException(null, id));
    return JobAwait.untilFinished(watch(job.queue(), id), id, timeout);
  }

  /**
   * Waits for the job's result and decodes it as {@code type} (null when the handler returned
   * nothing).
   *
   * @throws JobFailedException when the job was dead-lettered or cancelled instead
   * @throws TimeoutException when it has not ended within {@code timeout}
   */
  public <T> T awaitResult(String id, Class<T> type, Duration timeout)
      throws InterruptedException, TimeoutException {
    String json = awaitResult(id, timeout);
    return json == null ? null : Json.decode(json, type);
  }

  /** Like {@link #awaitResult(String, Class, Duration)}, the result as JSON text. */
  public String awaitResult(String id, Duration timeout)
      throws InterruptedException, TimeoutException {
    return JobAwait.resultOf(await(id, timeout));
  }

  // ---- limits ----

  /**
   * Limits how many jobs of a queue, or of one type in it, run at once and start per interval,
   * across every worker. See {@link Limit}.
   */
  public void setLimit(String queue, Limit limit) {
    broker.setLimit(Names.checkQueue(queue), Objects.requireNonNull(limit, "limit"));
  }

  /** Lifts the limit of the queue ({@code type} null) or of a type; false if there was none. */
  public boolean removeLimit(String queue, String type) {
    return broker.removeLimit(Names.checkQueue(queue), type == null ? null : Names.checkType(type));
  }

  public List<Limit> limits(String queue) {
    return broker.limits(Names.checkQueue(queue));
  }

  // ---- recurring jobs ----

  /** Adds a recurring job, or replaces the one of the same name in its queue. See {@link Schedule}. */
  public void addSchedule(Schedule schedule) {
    broker.putSchedule(Objects.requireNonNull(schedule, "schedule"));
  }

  /** False when the queue has no schedule of this name. */
  public boolean removeSchedule(String queue, String name) {
    return broker.removeSchedule(Names.checkQueue(queue), name);
  }

  /**
   * Enqueues the schedule's job now, as {@code name@<now in epoch ms>}, and records it as the
   * schedule's last firing; its next ticks stay. Empty when the queue has no such schedule.
   * The job goes straight to the broker, as a tick's does: this client's middleware does not
   * run for it.
   */
  public Optional<EnqueueResult> triggerSchedule(String queue, String name) {
    return broker.triggerSchedule(Names.checkQueue(queue), name);
  }

  /**
   * The schedules of every known queue, by queue and name, each with its next tick and its
   * last firing.
   */
  public List<Schedule.Planned> schedules() {
    List<Schedule.Planned> all = new ArrayList<>();
    for (String queue : broker.queues()) {
      all.addAll(broker.schedules(queue));
    }
    return all;
  }

  public QueueStats stats(String queue) {
    return broker.stats(Names.checkQueue(queue));
  }

  public Set<String> queues() {
    return broker.queues();
  }

  public List<WorkerInfo> workers() {
    return broker.workers();
  }

  /**
   * Leaves orders for a live worker, which it follows at its next heartbeat; throws {@link
   * JobNotFoundException}-like {@link JobqException} naming the id when no live worker has it.
   */
  public void controlWorker(String workerId, WorkerControl orders) {
    if (!broker.controlWorker(Objects.requireNonNull(workerId, "workerId"), orders)) {
      throw new JobqException("no live worker '" + workerId + "' (its heartbeat expired or it"
          + " never ran); 'jobq workers' lists the live ones");
    }
  }
}
