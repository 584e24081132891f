package dev.jobq.testing;

import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobActionOutcome;
import dev.jobq.JobEvent;
import dev.jobq.JobPage;
import dev.jobq.JobRequest;
import dev.jobq.JobSearch;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.QueueHistory;
import dev.jobq.QueueStats;
import dev.jobq.RetryPolicy;
import dev.jobq.Schedule;
import dev.jobq.SearchPage;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.Broker;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.FailedJob;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Broker} in the memory of one JVM, with jobq's semantics as the Redis broker has them:
 * priorities, delays, retries, leases and fencing tokens, the reaper, dependencies, unique keys,
 * limits, escalation, schedules, events, pause, retention, stats, workers. Each call is one
 * atomic step under one lock, as each Lua script is one in Redis; thread-safe for a worker's
 * threads and any number of producers. Time comes from the {@link Clock} it is given, so a test
 * moves leases and delays by moving the clock.
 *
 * <pre>{@code
 * InMemoryBroker broker = new InMemoryBroker();
 * JobClient client = JobClient.create(broker);
 * client.enqueue(JobRequest.builder("email.send").payload("{\"to\":\"ada@example.com\"}").build());
 * Worker worker = Worker.builder(broker).handler("email.send", ctx -> null).build();
 * }</pre>
 *
 * <p>What it cannot do as Redis does:
 *
 * <ul>
 *   <li>One JVM only: workers in other processes, the CLI and agents over HTTP cannot see it.
 *   <li>Nothing survives the process: there is no persistence, so none of its faults either (no
 *       restart from an older snapshot, no lost writes, no failover); {@link #serverRunId} is
 *       fixed for the broker's life.
 *   <li>Time is the given clock, also for lease tokens and event positions (Redis uses its own
 *       clock for those); a worker's heartbeat expires by that clock or in real time, whichever
 *       passes its TTL first; waits ({@link #awaitWork}, {@link #readEvents}) last real time,
 *       as Redis's blocking commands do.
 *   <li>The event stream keeps exactly the newest events it is capped at, where Redis keeps
 *       about that many.
 *   <li>No layout of an earlier version, no doctor, no malformed stored jobs to dead-letter.
 * </ul>
 */
public final class InMemoryBroker implements Broker {
  public static final Duration DEFAULT_COMPLETED_RETENTION = Duration.ofHours(24);
  public static final Duration DEFAULT_CANCELLED_RETENTION = Duration.ofHours(24);
  /** Zero: failed jobs stay until retried or purged. */
  public static final Duration DEFAULT_FAILED_RETENTION = Duration.ZERO;
  public static final long DEFAULT_MAX_FINISHED_KEPT = 100_000;

  private final Store store;
  private final Enqueues enqueues;
  private final Attempts attempts;
  private final Reaper reaper;
  private final Operations operations;
  private final Queries queries;
  private final ScheduleBook schedules;
  private final WorkerBook workers;
  private final Waits waits;
  private final QueueSettings settings;
  private final String runId;

  /** A broker on the system clock, with the Redis broker's default retention. */
  public InMemoryBroker() {
    this(Clock.systemUTC());
  }

  /** A broker whose time is {@code clock}: a test moves it to pass leases and delays. */
  public InMemoryBroker(Clock clock) {
    this(Objects.requireNonNull(clock, "clock"), Store.Retention.of(DEFAULT_COMPLETED_RETENTION,
        DEFAULT_CANCELLED_RETENTION, DEFAULT_FAILED_RETENTION, DEFAULT_MAX_FINISHED_KEPT));
  }

  InMemoryBroker(Clock clock, Store.Retention retention) {
    this.store = new Store(clock, retention);
    this.enqueues = new Enqueues(store);
    Escalations escalations = new Escalations(enqueues);
    this.attempts = new Attempts(store, escalations);
    this.reaper = new Reaper(store, escalations);
    this.operations = new Operations(store);
    this.queries = new Queries(store);
    this.schedules = new ScheduleBook(store, enqueues);
    this.workers = new WorkerBook(store);
    this.waits = new Waits(store);
    this.settings = new QueueSettings(store);
    this.runId = QueueSettings.newRunId();
  }

  public static InMemoryBrokerBuilder builder() {
    return new InMemoryBrokerBuilder();
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(store.now());
  }

  @Override
  public void ping() {
    store.locked(() -> {});
  }

  @Override
  public List<EnqueueResult> enqueue(List<JobRequest> requests) {
    return store.locked(() -> enqueues.enqueue(requests));
  }

  @Override
  public List<Job> claim(String queue, String workerId, int max, Duration lease,
      Set<String> types) {
    return store.locked(() -> Claims.claim(store, queue, workerId, max, lease, types));
  }

  @Override
  public boolean awaitWork(Collection<String> queues, Duration maxWait)
      throws InterruptedException {
    return waits.awaitWork(queues, maxWait);
  }

  @Override
  public void wakeIdleWorkers(Collection<String> queues) {
    store.locked(() -> waits.wakeIdleWorkers(queues));
  }

  @Override
  public Map<String, LeaseState> renewLeases(
      String queue, String workerId, Map<String, Long> tokens, Duration lease) {
    return store.locked(() -> attempts.renew(queue, tokens, lease));
  }

  @Override
  public List<Boolean> completeAll(String queue, List<Completion> completions) {
    return store.locked(() -> attempts.completeAll(queue, completions));
  }

  @Override
  public FailOutcome fail(
      String queue, String id, long token, Failure failure, Duration retryDelay) {
    return store.locked(() -> attempts.fail(queue, id, token, failure, retryDelay));
  }

  @Override
  public boolean release(String queue, String id, long token) {
    return store.locked(() -> attempts.release(queue, id, token));
  }

  @Override
  public boolean progress(String queue, String id, long token, String progressJson) {
    return store.locked(() -> attempts.progress(queue, id, token, progressJson));
  }

  @Override
  public int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    return store.locked(() -> reaper.reapExpired(queue, defaultPolicy, limit));
  }

  @Override
  public long expireFinished(String queue) {
    return store.locked(() -> reaper.expireFinished(queue));
  }

  @Override
  public Optional<Job> get(String queue, String id) {
    return store.locked(() -> queries.get(queue, id));
  }

  @Override
  public Optional<Job> find(String id) {
    return store.locked(() -> queries.find(id));
  }

  @Override
  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    return store.locked(() -> queries.list(queue, status, offset, limit));
  }

  @Override
  public List<FailedJob> newestFailed(String queue, int max) {
    return store.locked(() -> queries.newestFailed(queue, max));
  }

  @Override
  public SearchPage search(String queue, JobSearch search) {
    return store.locked(() -> queries.search(queue, search));
  }

  @Override
  public QueueStats stats(String queue) {
    return store.locked(() -> Figures.of(store.queue(queue), store.now()));
  }

  @Override
  public QueueHistory history(String queue, Duration span) {
    return store.locked(() -> store.queue(queue).rate.history(queue, store.now(), span));
  }

  @Override
  public Set<String> queues() {
    return store.locked(store::known);
  }

  @Override
  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    return store.locked(() -> operations.cancel(queue, ids));
  }

  @Override
  public JobActionOutcome delete(String queue, String id) {
    return store.locked(() -> operations.delete(queue, id));
  }

  @Override
  public JobActionOutcome runNow(String queue, String id) {
    return store.locked(() -> operations.runNow(queue, id));
  }

  @Override
  public long retryFailed(String queue, Collection<String> ids) {
    return store.locked(() -> operations.retryFailed(queue, ids));
  }

  @Override
  public long retryAllFailed(String queue) {
    return store.locked(() -> operations.retryAllFailed(queue));
  }

  @Override
  public ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    return store.locked(() -> operations.clear(queue, includeFailed, dryRun));
  }

  @Override
  public long purge(String queue, Duration age) {
    return store.locked(() -> operations.purge(queue, age));
  }

  @Override
  public void pause(String queue) {
    store.locked(() -> settings.pause(queue));
  }

  @Override
  public void resume(String queue) {
    store.locked(() -> settings.resume(queue));
  }

  @Override
  public void setMaxDepth(String queue, long maxDepth) {
    store.locked(() -> settings.setMaxDepth(queue, maxDepth));
  }

  @Override
  public String eventsTail(String queue) {
    return store.locked(() -> store.queue(queue).events.tail());
  }

  @Override
  public List<JobEvent> recentEvents(String queue, int max) {
    return store.locked(() -> store.queue(queue).events.recent(max));
  }

  @Override
  public List<JobEvent> eventsAfter(String queue, String position, int max) {
    // after() reads 0 or less as "all", where this method answers none
    return max <= 0 ? List.of() : store.locked(() -> store.queue(queue).events.after(position, max));
  }

  @Override
  public List<JobEvent> eventsBefore(String queue, String position, int max) {
    return max <= 0 ? List.of()
        : store.locked(() -> store.queue(queue).events.before(position, max));
  }

  @Override
  public String eventsPositionBefore(String queue, Instant since) {
    return store.locked(() -> store.queue(queue).events.positionBefore(since));
  }

  @Override
  public List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    return waits.readEvents(after, max, maxWait);
  }

  /**
   * Keeps the newest {@code kept} events of the queue (10,000 unless set); 0 writes none, as
   * {@code RedisBroker.tools().setEventsKept} does.
   */
  public void setEventsKept(String queue, long kept) {
    store.locked(() -> settings.setEventsKept(queue, kept));
  }

  @Override
  public void setLimit(String queue, Limit limit) {
    store.locked(() -> settings.setLimit(queue, limit));
  }

  @Override
  public boolean removeLimit(String queue, String type) {
    return store.locked(() -> settings.removeLimit(queue, type));
  }

  @Override
  public List<Limit> limits(String queue) {
    return store.locked(() -> settings.limits(queue));
  }

  @Override
  public void putSchedule(Schedule schedule) {
    store.locked(() -> {
      store.remember(schedule.queue());
      schedules.put(schedule);
    });
  }

  @Override
  public boolean removeSchedule(String queue, String name) {
    return store.locked(() -> schedules.remove(queue, name));
  }

  @Override
  public Optional<EnqueueResult> triggerSchedule(String queue, String name) {
    return store.locked(() -> schedules.trigger(queue, name));
  }

  @Override
  public List<Schedule.Planned> schedules(String queue) {
    return store.locked(() -> schedules.list(queue));
  }

  @Override
  public int fireDueSchedules(String queue) {
    return store.locked(() -> schedules.fireDue(queue));
  }

  @Override
  public WorkerControl registerWorker(WorkerInfo info, Duration ttl) {
    return store.locked(() -> workers.register(info, ttl));
  }

  @Override
  public Optional<WorkerInfo> registerNewWorker(WorkerInfo info, Duration ttl) {
    return store.locked(() -> workers.registerNew(info, ttl));
  }

  @Override
  public int pruneWorkers(Duration silentFor) {
    return store.locked(() -> workers.prune(silentFor));
  }

  @Override
  public boolean controlWorker(String workerId, WorkerControl orders) {
    return store.locked(() -> workers.control(workerId, orders));
  }

  @Override
  public void removeWorker(String workerId) {
    store.locked(() -> workers.remove(workerId));
  }

  @Override
  public List<WorkerInfo> workers() {
    return store.locked(workers::alive);
  }

  /** Fixed for this broker's life: nothing of it survives a restart to tell apart. */
  @Override
  public String serverRunId() {
    return runId;
  }

  /** Wakes every waiting caller; every later call throws {@code BrokerUnavailableException}. */
  @Override
  public void close() {
    store.close();
  }
}
