package dev.jobq.redis;

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
  private final RedisParts parts;
  private final RedisTools tools;

  private RedisBroker(RedisConfig config) {
    this.parts = new RedisParts(config);
    this.tools = new RedisTools(parts);
  }

  /**
   * Creates the connection pool. Redis need not be up yet: calls fail with {@link
   * dev.jobq.BrokerUnavailableException} until it is, and {@link #ping} checks it.
   */
  public static RedisBroker connect(RedisConfig config) {
    RedisBroker broker = new RedisBroker(config);
    broker.parts.clock.sync();
    return broker;
  }

  public static RedisBroker connect(String url) {
    return connect(RedisConfig.fromUrl(url));
  }

  /** What only Redis offers beyond {@link Broker}: the doctor, INFO, the events kept. */
  public RedisTools tools() {
    return tools;
  }

  public RedisConfig config() {
    return parts.config;
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(parts.clock.millis());
  }

  @Override
  public void ping() {
    parts.redis.call(j -> j.ping());
    parts.clock.sync();
  }

  @Override
  public List<EnqueueResult> enqueue(List<JobRequest> requests) {
    return parts.enqueuer.enqueue(requests);
  }

  @Override
  public List<Job> claim(String queue, String workerId, int max, Duration lease,
      Set<String> types) {
    return parts.attempts.claim(queue, workerId, max, lease, types);
  }

  @Override
  public boolean awaitWork(Collection<String> queues, Duration maxWait)
      throws InterruptedException {
    return parts.attempts.awaitWork(queues, maxWait);
  }

  @Override
  public void wakeIdleWorkers(Collection<String> queues) {
    parts.attempts.wakeIdleWorkers(queues);
  }

  @Override
  public Map<String, LeaseState> renewLeases(String queue, String workerId,
      Map<String, Long> tokens, Duration lease) {
    return parts.attempts.renewLeases(queue, tokens, lease);
  }

  @Override
  public List<Boolean> completeAll(String queue, List<Completion> completions) {
    return parts.attempts.completeAll(queue, completions);
  }

  @Override
  public FailOutcome fail(
      String queue, String id, long token, Failure failure, Duration retryDelay) {
    return parts.attempts.fail(queue, id, token, failure, retryDelay);
  }

  @Override
  public boolean release(String queue, String id, long token) {
    return parts.attempts.release(queue, id, token);
  }

  @Override
  public boolean progress(String queue, String id, long token, String progressJson) {
    return parts.attempts.progress(queue, id, token, progressJson);
  }

  @Override
  public int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    return parts.reaper.reapExpired(queue, defaultPolicy, limit);
  }

  @Override
  public long expireFinished(String queue) {
    return parts.reaper.expireFinished(queue);
  }

  @Override
  public Optional<Job> get(String queue, String id) {
    return parts.queries.get(queue, id);
  }

  @Override
  public Optional<Job> find(String id) {
    return parts.queries.find(id);
  }

  @Override
  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    return parts.queries.list(queue, status, offset, limit);
  }

  @Override
  public List<FailedJob> newestFailed(String queue, int max) {
    return parts.queries.newestFailed(queue, max);
  }

  @Override
  public SearchPage search(String queue, JobSearch search) {
    return parts.searches.search(queue, search);
  }

  @Override
  public QueueStats stats(String queue) {
    return parts.queries.stats(queue);
  }

  @Override
  public QueueHistory history(String queue, Duration span) {
    return parts.history.read(queue, span);
  }

  @Override
  public Set<String> queues() {
    return parts.queues.names();
  }

  @Override
  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    return parts.operations.cancel(queue, ids);
  }

  @Override
  public JobActionOutcome delete(String queue, String id) {
    return parts.operations.delete(queue, id);
  }

  @Override
  public JobActionOutcome runNow(String queue, String id) {
    return parts.operations.runNow(queue, id);
  }

  @Override
  public long retryFailed(String queue, Collection<String> ids) {
    return parts.operations.retryFailed(queue, ids);
  }

  @Override
  public long retryAllFailed(String queue) {
    return parts.operations.retryAllFailed(queue);
  }

  @Override
  public ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    return parts.operations.clear(queue, includeFailed, dryRun);
  }

  @Override
  public long purge(String queue, Duration age) {
    return parts.operations.purge(queue, age);
  }

  @Override
  public void pause(String queue) {
    parts.operations.pause(queue);
  }

  @Override
  public void resume(String queue) {
    parts.operations.resume(queue);
  }

  @Override
  public void setMaxDepth(String queue, long maxDepth) {
    parts.operations.setMaxDepth(queue, maxDepth);
  }

  @Override
  public String eventsTail(String queue) {
    return parts.events.tail(queue);
  }

  @Override
  public List<JobEvent> recentEvents(String queue, int max) {
    return parts.events.recent(queue, max);
  }

  @Override
  public List<JobEvent> eventsAfter(String queue, String position, int max) {
    return parts.events.after(queue, position, max);
  }

  @Override
  public List<JobEvent> eventsBefore(String queue, String position, int max) {
    return parts.events.before(queue, position, max);
  }

  @Override
  public String eventsPositionBefore(String queue, Instant since) {
    return parts.events.positionBefore(queue, since);
  }

  @Override
  public List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    return parts.events.read(after, max, maxWait);
  }

  @Override
  public void setLimit(String queue, Limit limit) {
    parts.limits.set(queue, limit);
  }

  @Override
  public boolean removeLimit(String queue, String type) {
    return parts.limits.remove(queue, type);
  }

  @Override
  public List<Limit> limits(String queue) {
    return parts.limits.list(queue);
  }

  @Override
  public void putSchedule(Schedule schedule) {
    parts.schedules.put(schedule);
  }

  @Override
  public boolean removeSchedule(String queue, String name) {
    return parts.schedules.remove(queue, name);
  }

  @Override
  public Optional<EnqueueResult> triggerSchedule(String queue, String name) {
    return parts.schedules.trigger(queue, name);
  }

  @Override
  public List<Schedule.Planned> schedules(String queue) {
    return parts.schedules.list(queue);
  }

  @Override
  public int fireDueSchedules(String queue) {
    return parts.schedules.fireDue(queue);
  }

  @Override
  public WorkerControl registerWorker(WorkerInfo info, Duration ttl) {
    return parts.workers.register(info, ttl);
  }

  @Override
  public Optional<WorkerInfo> registerNewWorker(WorkerInfo info, Duration ttl) {
    return parts.workers.registerNew(info, ttl);
  }

  @Override
  public int pruneWorkers(Duration silentFor) {
    return parts.workers.prune(parts.clock.millis() - silentFor.toMillis());
  }

  @Override
  public boolean controlWorker(String workerId, WorkerControl orders) {
    return parts.workers.control(workerId, orders);
  }

  @Override
  public void removeWorker(String workerId) {
    parts.workers.remove(workerId);
  }

  @Override
  public List<WorkerInfo> workers() {
    return parts.workers.alive();
  }

  @Override
  public String serverRunId() {
    return parts.server.runId();
  }

  @Override
  public void close() {
    parts.redis.close();
  }
}
