package dev.jobq.redis;

import dev.jobq.spi.Broker;
import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.EnqueueResult;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobPage;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.spi.LeaseState;
import dev.jobq.Limit;
import dev.jobq.QueueStats;
import dev.jobq.RetryPolicy;
import dev.jobq.Schedule;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Broker} on Redis: every transition is one Lua script (see {@code lua/}), every
 * read one round trip. Thread-safe; share one per process.
 *
 * <pre>{@code
 * try (RedisBroker broker = RedisBroker.connect("redis://localhost:6379")) {
 *   JobClient client = JobClient.create(broker);
 *   client.enqueue(JobRequest.builder("email.send").payload("{\"to\":\"ada@example.com\"}").build());
 * }
 * }</pre>
 *
 * <p>A facade: each call goes to the part that does it (one per role, package-private), and
 * the parts share one {@link Queues} (connections, keys, scripts, clock), never this class.
 */
public final class RedisBroker implements Broker {
  private final RedisConfig config;
  private final Connections redis;
  private final RedisClock clock;
  private final Queues queues;
  private final Enqueuer enqueuer;
  private final Attempts attempts;
  private final Reaper reaper;
  private final Operations operations;
  private final EventLog events;
  private final JobQueries queries;
  private final Limits limits;
  private final Schedules schedules;
  private final WorkerRegistry workers;
  private final RedisServer server;
  private final Doctor doctor;

  private RedisBroker(RedisConfig config) {
    this.config = config;
    this.redis = new Connections(config);
    this.clock = new RedisClock(redis, config.clock(), config.hostClock());
    LayoutUpgrade upgrade = new LayoutUpgrade(redis, clock::millis);
    this.queues = new Queues(config, redis, clock, upgrade);
    this.enqueuer = new Enqueuer(queues);
    this.operations = new Operations(queues);
    this.queries = new JobQueries(queues);
    Escalations escalations = new Escalations(queries, enqueuer, operations);
    this.attempts = new Attempts(queues, escalations);
    this.reaper = new Reaper(queues, queries, escalations);
    this.events = new EventLog(queues);
    this.limits = new Limits(queues);
    this.schedules = new Schedules(queues, enqueuer);
    this.workers = new WorkerRegistry(redis, config.prefix());
    this.server = new RedisServer(redis);
    this.doctor = new Doctor(queues, upgrade);
  }

  /**
   * Creates the connection pool. Redis need not be up yet: calls fail with {@link
   * dev.jobq.BrokerUnavailableException} until it is, and {@link #ping} checks it.
   */
  public static RedisBroker connect(RedisConfig config) {
    RedisBroker broker = new RedisBroker(config);
    broker.clock.sync();
    return broker;
  }

  public static RedisBroker connect(String url) {
    return connect(RedisConfig.fromUrl(url));
  }

  public RedisConfig config() {
    return config;
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  @Override
  public void ping() {
    redis.call(j -> j.ping());
    clock.sync();
  }

  /**
   * Settings of the Redis server that put jobs at risk, each a sentence saying what to change;
   * empty when there are none or the server does not let us read its configuration.
   */
  public List<String> serverWarnings() {
    return server.warnings();
  }

  /**
   * One section of Redis's {@code INFO} ({@code memory}, {@code cpu}, {@code commandstats}, …)
   * as field to value, for benchmarks and diagnostics.
   */
  public Map<String, String> serverInfo(String section) {
    return server.info(section);
  }

  /**
   * Deletes every key under this broker's prefix and returns how many there were. Meant for
   * throwaway prefixes, such as the one {@code jobq bench} writes under; never point it at a
   * prefix whose jobs you want.
   */
  public long deletePrefix() {
    return operations.deletePrefix();
  }

  /**
   * Checks that every job of the queue is in exactly one of its sets and that its status says
   * which; with {@code repair}, fixes what is safe to fix (ids without a job, jobs in no set,
   * an active job without a lease) and reports the rest.
   */
  public DoctorReport doctor(String queue, boolean repair) {
    return doctor.examine(queue, repair);
  }

  @Override
  public List<EnqueueResult> enqueue(List<JobRequest> requests) {
    return enqueuer.enqueue(requests);
  }

  @Override
  public List<Job> claim(String queue, String workerId, int max, Duration lease) {
    return attempts.claim(queue, workerId, max, lease);
  }

  @Override
  public boolean awaitWork(Collection<String> queues, Duration maxWait)
      throws InterruptedException {
    return attempts.awaitWork(queues, maxWait);
  }

  @Override
  public void wakeIdleWorkers(Collection<String> queues) {
    attempts.wakeIdleWorkers(queues);
  }

  @Override
  public Map<String, LeaseState> renewLeases(String queue, String workerId,
      Map<String, Long> tokens, Duration lease) {
    return attempts.renewLeases(queue, tokens, lease);
  }

  @Override
  public List<Boolean> completeAll(String queue, List<Completion> completions) {
    return attempts.completeAll(queue, completions);
  }

  @Override
  public FailOutcome fail(
      String queue, String id, long token, Failure failure, Duration retryDelay) {
    return attempts.fail(queue, id, token, failure, retryDelay);
  }

  @Override
  public boolean release(String queue, String id, long token) {
    return attempts.release(queue, id, token);
  }

  @Override
  public boolean progress(String queue, String id, long token, String progressJson) {
    return attempts.progress(queue, id, token, progressJson);
  }

  @Override
  public int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    return reaper.reapExpired(queue, defaultPolicy, limit);
  }

  @Override
  public long expireFinished(String queue) {
    return reaper.expireFinished(queue);
  }

  @Override
  public Optional<Job> get(String queue, String id) {
    return queries.get(queue, id);
  }

  @Override
  public Optional<Job> find(String id) {
    return queries.find(id);
  }

  @Override
  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    return queries.list(queue, status, offset, limit);
  }

  @Override
  public QueueStats stats(String queue) {
    return queries.stats(queue);
  }

  @Override
  public Set<String> queues() {
    return queues.names();
  }

  @Override
  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    return operations.cancel(queue, ids);
  }

  @Override
  public long retryFailed(String queue, Collection<String> ids) {
    return operations.retryFailed(queue, ids);
  }

  @Override
  public long retryAllFailed(String queue) {
    return operations.retryAllFailed(queue);
  }

  @Override
  public ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    return operations.clear(queue, includeFailed, dryRun);
  }

  @Override
  public long purge(String queue, Duration age) {
    return operations.purge(queue, age);
  }

  @Override
  public void pause(String queue) {
    operations.pause(queue);
  }

  @Override
  public void resume(String queue) {
    operations.resume(queue);
  }

  @Override
  public void setMaxDepth(String queue, long maxDepth) {
    operations.setMaxDepth(queue, maxDepth);
  }

  @Override
  public String eventsTail(String queue) {
    return events.tail(queue);
  }

  @Override
  public List<JobEvent> recentEvents(String queue, int max) {
    return events.recent(queue, max);
  }

  @Override
  public List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    return events.read(after, max, maxWait);
  }

  /**
   * Keeps about {@code kept} events in the queue's stream (10,000 unless set); 0 turns events
   * off, which also leaves {@link dev.jobq.JobClient#await} re-reading the job every few seconds.
   */
  public void setEventsKept(String queue, long kept) {
    events.setKept(queue, kept);
  }

  @Override
  public void setLimit(String queue, Limit limit) {
    limits.set(queue, limit);
  }

  @Override
  public boolean removeLimit(String queue, String type) {
    return limits.remove(queue, type);
  }

  @Override
  public List<Limit> limits(String queue) {
    return limits.list(queue);
  }

  @Override
  public void putSchedule(Schedule schedule) {
    schedules.put(schedule);
  }

  @Override
  public boolean removeSchedule(String queue, String name) {
    return schedules.remove(queue, name);
  }

  @Override
  public List<Schedule.Planned> schedules(String queue) {
    return schedules.list(queue);
  }

  @Override
  public int fireDueSchedules(String queue) {
    return schedules.fireDue(queue);
  }

  @Override
  public WorkerControl registerWorker(WorkerInfo info, Duration ttl) {
    return workers.register(info, ttl);
  }

  @Override
  public Optional<WorkerInfo> registerNewWorker(WorkerInfo info, Duration ttl) {
    return workers.registerNew(info, ttl);
  }

  @Override
  public int pruneWorkers(Duration silentFor) {
    return workers.prune(clock.millis() - silentFor.toMillis());
  }

  @Override
  public boolean controlWorker(String workerId, WorkerControl orders) {
    return workers.control(workerId, orders);
  }

  @Override
  public void removeWorker(String workerId) {
    workers.remove(workerId);
  }

  @Override
  public List<WorkerInfo> workers() {
    return workers.alive();
  }

  @Override
  public String serverRunId() {
    return server.runId();
  }

  @Override
  public void close() {
    redis.close();
  }
}
