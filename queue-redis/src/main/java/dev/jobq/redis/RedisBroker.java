package dev.jobq.redis;

import dev.jobq.Backoff;
import dev.jobq.Broker;
import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.EnqueueResult;
import dev.jobq.Escalation;
import dev.jobq.FailOutcome;
import dev.jobq.Failure;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobPage;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.JobqException;
import dev.jobq.Json;
import dev.jobq.LeaseState;
import dev.jobq.Limit;
import dev.jobq.QueueStats;
import dev.jobq.RetryPolicy;
import dev.jobq.Schedule;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

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
 */
public final class RedisBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
  /** How many ids a bulk script (clear, purge, retry all) handles per call. */
  private static final int BATCH = 1000;

  private final RedisConfig config;
  private final Connections redis;
  private final Map<String, Keys> keys = new ConcurrentHashMap<>();
  private final Set<String> knownQueues = ConcurrentHashMap.newKeySet();
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final RedisClock clock;
  private final JobQueries queries;
  private final WorkerRegistry workers;
  private final Doctor doctor;
  private final LayoutUpgrade upgrade;
  private final Schedules schedules;
  /**
   * Event readers (await, listen, watch) block in Redis holding a pooled connection each; at
   * most half the pool does, so that many waiting callers cannot starve the other calls.
   */
  private final Semaphore eventReaders;

  private RedisBroker(RedisConfig config) {
    this.config = config;
    this.redis = new Connections(config);
    this.clock = new RedisClock(redis, config.clock(), config.hostClock());
    this.queries = new JobQueries(redis, this::keys);
    this.workers = new WorkerRegistry(redis, config.prefix());
    this.schedules = new Schedules(redis, this::keys, clock::millis, this);
    this.eventReaders = new Semaphore(Math.max(1, config.poolSize() / 2));
    this.upgrade = new LayoutUpgrade(redis, clock::millis);
    // the doctor moves a queue of an earlier layout, so it reads keys without refusing one
    this.doctor = new Doctor(redis, q -> new Keys(config.prefix(), q), upgrade,
        (q, args) -> (List<?>) run(Script.REPAIR, q, args));
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
    List<String> warnings = new ArrayList<>();
    try {
      Map<String, String> conf = redis.call(j -> j.configGet("maxmemory-policy", "appendonly", "save"));
      String policy = conf.getOrDefault("maxmemory-policy", "noeviction");
      if (!policy.equals("noeviction")) {
        warnings.add("Redis maxmemory-policy is " + policy + ": under memory pressure Redis may"
            + " evict job keys and lose jobs; set it to noeviction");
      }
      if ("no".equals(conf.get("appendonly")) && conf.getOrDefault("save", "").isBlank()) {
        warnings.add("Redis persists nothing (appendonly no, no save points): a Redis restart"
            + " loses every job; set appendonly yes");
      }
    } catch (dev.jobq.JobqException e) {
      log.debug("cannot read the Redis configuration: {}", e.getMessage());
    }
    return warnings;
  }

  /**
   * One section of Redis's {@code INFO} ({@code memory}, {@code cpu}, {@code commandstats}, …)
   * as field to value, for benchmarks and diagnostics.
   */
  public Map<String, String> serverInfo(String section) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : redis.call(j -> j.info(section)).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  /**
   * Deletes every key under this broker's prefix and returns how many there were. Meant for
   * throwaway prefixes, such as the one {@code jobq bench} writes under; never point it at a
   * prefix whose jobs you want.
   */
  public long deletePrefix() {
    String match = config.prefix() + ":*";
    return redis.call(j -> {
      long deleted = 0;
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = j.scan(cursor, new ScanParams().match(match).count(1000));
        if (!page.getResult().isEmpty()) {
          deleted += j.unlink(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return deleted;
    });
  }

  /**
   * Checks that every job of the queue is in exactly one of its sets and that its status says
   * which; with {@code repair}, fixes what is safe to fix (ids without a job, jobs in no set,
   * an active job without a lease) and reports the rest.
   */
  public DoctorReport doctor(String queue, boolean repair) {
    return doctor.examine(queue, repair);
  }

  /**
   * The queue's keys. A queue is looked at once, when this broker first uses it, and again
   * after Redis answers WRONGTYPE: one in the layout of an earlier jobq is refused.
   */
  private Keys keys(String queue) {
    Keys k = keys.get(queue);
    if (k == null) {
      k = new Keys(config.prefix(), queue);
      refuseEarlierLayout(k);
      keys.put(queue, k);
    }
    return k;
  }

  private void refuseEarlierLayout(Keys k) {
    if (upgrade.isEarlier(k)) {
      throw new JobqException("queue '" + k.queue + "' was written by jobq before 0.2 (a hash"
          + " per job); stop its workers and producers of that version, then run `jobq doctor"
          + " --repair` once to move it to this layout (RedisBroker.doctor(queue, true)).");
    }
  }

  /** Runs a script on the queue's keys, "now" first; the answer's strings read as text. */
  private Object run(Script script, String queue, Object... args) {
    return Replies.decoded(runRaw(script, queue, args));
  }

  /**
   * As {@link #run}, with the answer's strings left as bytes. WRONGTYPE means a key is not what
   * this layout makes it, as when a process of an earlier jobq wrote to the queue after this
   * broker looked at it: the queue is looked at again, and refused if so.
   */
  private Object runRaw(Script script, String queue, Object... args) {
    List<byte[]> argv = new ArrayList<>(args.length + 1);
    argv.add(Long.toString(clock.millis()).getBytes(StandardCharsets.UTF_8));
    for (Object a : args) {
      argv.add(String.valueOf(a).getBytes(StandardCharsets.UTF_8));
    }
    Keys k = keys(queue);
    try {
      return redis.eval(script, k.scriptKeys(), argv);
    } catch (JobqException e) {
      if (String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
        keys.remove(queue);
        refuseEarlierLayout(k);
      }
      throw e;
    }
  }

  private Object run(Script script, String queue, List<String> args) {
    return run(script, queue, args.toArray());
  }

  // ---- producing ----

  @Override
  public List<EnqueueResult> enqueue(List<JobRequest> requests) {
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      byQueue.computeIfAbsent(requests.get(i).queue(), q -> new ArrayList<>()).add(i);
    }
    EnqueueResult[] results = new EnqueueResult[requests.size()];
    for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
      List<JobRequest> batch = e.getValue().stream().map(requests::get).toList();
      List<EnqueueResult> answered = enqueueInto(e.getKey(), batch);
      for (int i = 0; i < batch.size(); i++) {
        results[e.getValue().get(i)] = answered.get(i);
      }
    }
    return Arrays.asList(results);
  }

  private List<EnqueueResult> enqueueInto(String queue, List<JobRequest> batch) {
    return enqueueInto(queue, batch, List.of());
  }

  /**
   * Enqueues the job of a schedule's tick, and moves the schedule on to {@code next}, if the
   * schedule is still due at {@code due}; empty when another worker fired that tick first.
   */
  Optional<EnqueueResult> enqueueTick(JobRequest job, String schedule, long due, long next) {
    List<EnqueueResult> r = enqueueInto(job.queue(), List.of(job),
        List.of(schedule, Long.toString(due), Long.toString(next)));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  private List<EnqueueResult> enqueueInto(String queue, List<JobRequest> batch, List<String> tick) {
    rememberQueue(queue);
    long now = clock.millis();
    List<String> args = new ArrayList<>(3 + batch.size() * 7);
    args.add(Integer.toString(batch.size()));
    args.add(Long.toString(config.cancelledRetention().toMillis()));
    args.add(Long.toString(config.maxFinishedKept()));
    for (JobRequest r : batch) {
      args.add(r.id());
      args.add(r.type());
      args.add(r.payload());
      args.add(Integer.toString(r.priority().level()));
      args.add(Integer.toString(r.maxAttempts()));
      args.add(Long.toString(runAt(r, now)));
      List<String> options = options(r);
      args.add(Integer.toString(options.size() / 2));
      args.addAll(options);
    }
    args.addAll(tick);
    List<?> out = (List<?>) run(Script.ENQUEUE, queue, args);
    Optional<Reply> refusal = Reply.batchRefusal(out);
    if (refusal.isPresent()) {
      JobqException error = refusal.get().batchError(queue, out, batch.size());
      if (error == null) {
        return List.of();
      }
      throw error;
    }
    long recent = (Long) out.get(batch.size());
    List<EnqueueResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      List<?> row = (List<?>) out.get(i);
      JobStatus status = JobStatus.parse((String) row.get(1));
      long position = (Long) row.get(2);
      Duration wait = estimate(status, position, recent, runAt(batch.get(i), now) - now);
      // a duplicate of a uniqueness key is answered with the job that holds the key
      String id = row.size() > 3 ? (String) row.get(3) : batch.get(i).id();
      results.add(new EnqueueResult(id, queue, (Long) row.get(0) == 1, status, position, wait));
    }
    return results;
  }

  /** What enqueue.lua takes beyond the fields every job has, as name/value pairs. */
  private static List<String> options(JobRequest r) {
    List<String> o = new ArrayList<>(0);
    if (r.backoff() != null) {
      o.addAll(List.of("backoff", r.backoff().spec()));
    }
    if (r.timeout() != null) {
      o.addAll(List.of("timeout_ms", Long.toString(r.timeout().toMillis())));
    }
    if (!r.dependsOn().isEmpty()) {
      o.addAll(List.of("deps", String.join(",", r.dependsOn())));
      if (r.runsEvenIfParentsFail()) {
        o.addAll(List.of("deps_anyway", "1"));
      }
    }
    if (r.uniqueKey() != null) {
      o.addAll(List.of("unique", r.uniqueKey(),
          "unique_ms", Long.toString(r.uniqueWindow().toMillis())));
    }
    if (!r.headers().isEmpty()) {
      o.addAll(List.of("headers", Json.encode(r.headers())));
    }
    if (r.escalation() != null) {
      o.addAll(List.of("escalate", Json.encode(r.escalation())));
    }
    if (r.replacesFinished()) {
      o.addAll(List.of("replace", "1"));
    }
    return o;
  }

  private static long runAt(JobRequest r, long now) {
    if (r.runAt() != null) {
      return r.runAt().toEpochMilli();
    }
    return r.delay().isZero() ? 0 : now + r.delay().toMillis();
  }

  /** From the queue's completions of the last five minutes; null when there were none. */
  private static Duration estimate(JobStatus status, long position, long recent, long delayMs) {
    if (status == JobStatus.DELAYED) {
      return Duration.ofMillis(Math.max(0, delayMs));
    }
    if (status != JobStatus.WAITING || recent == 0) {
      return null;
    }
    return Duration.ofMillis(position * 5 * 60_000 / recent);
  }

  /** The queue index lives outside the queue's hash tag, so it cannot join the script. */
  private void rememberQueue(String queue) {
    if (!knownQueues.contains(queue)) {
      redis.call(j -> j.sadd(Keys.queues(config.prefix()), queue));
      knownQueues.add(queue);
    }
  }

  // ---- working ----

  @Override
  public List<Job> claim(String queue, String workerId, int max, Duration lease) {
    List<?> out = (List<?>) runRaw(Script.CLAIM, queue, workerId, max, lease.toMillis());
    List<Job> jobs = new ArrayList<>(out.size());
    for (Object row : out) {
      try {
        jobs.add(StoredJob.fromRow(queue, (List<?>) row));
      } catch (IllegalStateException e) {
        deadLetterMalformed(queue, (List<?>) row, e);
      }
    }
    return jobs;
  }

  /**
   * A job edited into nonsense cannot run; it goes to the failed list, saying why. The claim
   * stored it as a readable map whatever it held before, so its lease token can be read.
   */
  private void deadLetterMalformed(String queue, List<?> row, IllegalStateException e) {
    log.error("{}; moving it to the failed list", e.getMessage());
    String id = Replies.text(row.get(0));
    String token = MessagePack.readMap((byte[]) row.get(1)).get("token");
    run(Script.FAIL, queue, id, token, "dev.jobq.MalformedJob", e.getMessage(), "", -1, "-");
  }

  @Override
  public boolean awaitWork(Collection<String> queues, Duration maxWait)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    List<String> queueList = List.copyOf(queues);
    long now = clock.millis();
    long waitMs = maxWait.toMillis();
    // keys first: the first use of a queue reads Redis, which must not wait for a second
    // connection while this call holds one
    List<Keys> queueKeys = queueList.stream().map(this::keys).toList();
    // the next delayed job due, and the next start window a rate limit waits for
    List<Double> nextDue = redis.call(j -> {
      Pipeline p = j.pipelined();
      List<Response<List<Tuple>>> heads = new ArrayList<>();
      List<Response<String>> windows = new ArrayList<>();
      for (Keys k : queueKeys) {
        heads.add(p.zrangeWithScores(k.delayed(), 0, 0));
        windows.add(p.hget(k.limitState(), "held_until"));
      }
      p.sync();
      List<Double> due = new ArrayList<>();
      heads.forEach(r -> r.get().forEach(t -> due.add(t.getScore())));
      windows.stream().map(Response::get).filter(w -> w != null && w.matches("\\d{1,18}"))
          .map(Double::valueOf).filter(w -> w > now).forEach(due::add);
      return due;
    });
    for (double due : nextDue) {
      waitMs = Math.min(waitMs, (long) due - now);
    }
    if (waitMs <= 0) {
      return true;
    }
    String[] wakeKeys = queueKeys.stream().map(Keys::wake).toArray(String[]::new);
    List<String> woke = redis.blockingPop(wakeKeys, waitMs);
    return woke != null || !nextDue.isEmpty() && waitMs < maxWait.toMillis();
  }

  @Override
  public void wakeIdleWorkers(Collection<String> queues) {
    for (String q : queues) {
      run(Script.WAKE, q);
    }
  }

  @Override
  public Map<String, LeaseState> renewLeases(
      String queue, String workerId, Map<String, Long> tokens, Duration lease) {
    if (tokens.isEmpty()) {
      return Map.of();
    }
    List<String> ids = List.copyOf(tokens.keySet());
    List<Object> args = new ArrayList<>(1 + 2 * ids.size());
    args.add(lease.toMillis());
    for (String id : ids) {
      args.add(id);
      args.add(tokens.get(id));
    }
    List<?> out = (List<?>) run(Script.HEARTBEAT, queue, args.toArray());
    Map<String, LeaseState> states = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      states.put(ids.get(i), Reply.leaseState(out.get(i)));
    }
    return states;
  }

  @Override
  public List<Boolean> completeAll(String queue, List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(3 + completions.size() * 3);
    args.add(Long.toString(config.completedRetention().toMillis()));
    args.add(Long.toString(config.maxFinishedKept()));
    args.add(Integer.toString(completions.size()));
    for (Completion c : completions) {
      args.add(c.id());
      args.add(Long.toString(c.token()));
      args.add(c.resultJson() == null ? "" : c.resultJson());
    }
    List<?> out = (List<?>) run(Script.COMPLETE, queue, args);
    return out.stream().map(Reply::done).toList();
  }

  @Override
  public FailOutcome fail(
      String queue, String id, long token, Failure failure, Duration retryDelay) {
    long delay = retryDelay == null ? -1 : Math.max(0, retryDelay.toMillis());
    Reply reply = runFail(queue, id, token, failure, delay, "");
    if (reply == Reply.ESCALATES) {
      EnqueueResult takeover = escalate(queue, id);
      reply = runFail(queue, id, token, failure, delay, takeoverOf(takeover));
      dropIfOrphan(queue, id, takeover);
    }
    return reply.failOutcome();
  }

  private Reply runFail(String queue, String id, long token, Failure failure, long delay,
      String escalatedTo) {
    return Reply.of(run(Script.FAIL, queue, id, token, failure.errorClass(),
        nullToEmpty(failure.message()), nullToEmpty(failure.stack()), delay, escalatedTo,
        config.failedRetention().toMillis(), config.cancelledRetention().toMillis(),
        config.maxFinishedKept()), Reply.FAIL);
  }

  /**
   * Enqueues the job that takes over from one whose attempts are exhausted, before the original
   * is ended: done twice (the worker died between the two steps, and the reaper does it again),
   * the uniqueness key answers the first. Null when it cannot be enqueued: the original is then
   * dead-lettered as it would be without an escalation.
   */
  private EnqueueResult escalate(String queue, String id) {
    try {
      // one read of the job: the escalation is a field the Job record leaves out
      Map<String, String> h = queries.fields(queue, id).orElseThrow(
          () -> new IllegalStateException("job " + id + " is gone"));
      JobRequest next = Json.decode(h.get("escalate"), Escalation.class)
          .requestFor(StoredJob.fromMap(queue, id, h));
      return enqueue(List.of(next)).get(0);
    } catch (dev.jobq.BrokerUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("queue {}: job {} cannot be escalated ({}); it goes to the failed list", queue, id,
          e.getMessage());
      return null;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public boolean release(String queue, String id, long token) {
    return Reply.done(run(Script.RELEASE, queue, id, token));
  }

  @Override
  public boolean progress(String queue, String id, long token, String progressJson) {
    return Reply.done(run(Script.PROGRESS, queue, id, token, progressJson));
  }

  @Override
  public int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    Keys k = keys(queue);
    long now = clock.millis();
    List<String> ids = redis.call(
        j -> j.zrangeByScore(k.active(), Double.NEGATIVE_INFINITY, now, 0, limit));
    // the reap call and retryDelayMs read id, token, attempt, max attempts, backoff; an id
    // without a job this side can read goes with no token: reap.lua drops it if it agrees
    Map<String, Map<String, String>> readable = queries.readable(queue, ids);
    Map<String, List<String>> candidates = new LinkedHashMap<>();
    for (String id : ids) {
      Map<String, String> f = readable.get(id);
      candidates.put(id, f == null ? Arrays.asList(id, "", null, null, null)
          : Arrays.asList(id, f.getOrDefault("token", "0"), f.getOrDefault("attempt", "0"),
              f.get("max_attempts"), f.get("backoff")));
    }
    if (candidates.isEmpty()) {
      return 0;
    }
    List<?> out = reap(queue, candidates, defaultPolicy, Map.of());
    int reaped = (int) (long) (Long) out.get(0);
    long orphans = (Long) out.get(1);
    if (orphans > 0) {
      log.warn("queue {}: dropped {} id(s) from active whose job was missing or could not be"
          + " read; `jobq doctor` shows jobs that cannot be read", queue, orphans);
    }
    if (out.size() > 2) {
      // they escalate: the jobs that take over first, then the originals, under the same check
      Map<String, EnqueueResult> takeovers = new LinkedHashMap<>();
      for (Object id : out.subList(2, out.size())) {
        takeovers.put((String) id, escalate(queue, (String) id));
      }
      List<?> again = reap(queue, candidates, defaultPolicy, takeovers);
      reaped += (int) (long) (Long) again.get(0);
      takeovers.forEach((id, r) -> dropIfOrphan(queue, id, r));
    }
    if (reaped > 0) {
      log.warn("queue {}: {} job(s) had an expired lease (their worker died or stalled); "
          + "retried or dead-lettered", queue, reaped);
    }
    return reaped;
  }

  /**
   * Finished jobs leave with their index entries: each completion, failure or cancellation
   * trims its own index as it goes, and this catches up on a queue that went quiet.
   */
  @Override
  public long expireFinished(String queue) {
    return (Long) run(Script.EXPIRE, queue, config.completedRetention().toMillis(),
        config.maxFinishedKept(), config.failedRetention().toMillis(),
        config.cancelledRetention().toMillis());
  }

  /**
   * One reap call for the candidates, or, with {@code takeovers}, for those only: each with the
   * job that takes over from it ("-" for none: dead-letter it).
   */
  private List<?> reap(String queue, Map<String, List<String>> candidates,
      RetryPolicy defaultPolicy, Map<String, EnqueueResult> takeovers) {
    List<Object> args = new ArrayList<>();
    args.add(config.failedRetention().toMillis());
    args.add(config.cancelledRetention().toMillis());
    args.add(config.maxFinishedKept());
    for (List<String> f : candidates.values()) {
      if (takeovers.isEmpty() || takeovers.containsKey(f.get(0))) {
        args.add(f.get(0));
        args.add(f.get(1));
        args.add(retryDelayMs(f, defaultPolicy));
        args.add(takeovers.isEmpty() ? "" : takeoverOf(takeovers.get(f.get(0))));
      }
    }
    return (List<?>) run(Script.REAP, queue, args.toArray());
  }

  private static String takeoverOf(EnqueueResult r) {
    return r == null ? "-" : r.queue() + "/" + r.jobId();
  }

  /**
   * The original moved on between the two calls (it completed, or was cancelled): the job
   * enqueued to take over from it must not run. Only one this call created is cancelled.
   */
  private void dropIfOrphan(String queue, String id, EnqueueResult takeover) {
    if (takeover == null || !takeover.created()) {
      return;
    }
    String to = get(queue, id).map(Job::escalatedTo).orElse(null);
    if (!takeoverOf(takeover).equals(to)) {
      cancel(takeover.queue(), List.of(takeover.jobId()));
      log.info("queue {}: job {} was not escalated after all (it moved on meanwhile); its"
          + " takeover {} is cancelled", queue, id, takeoverOf(takeover));
    }
  }

  /** The job's own policy where it has one; -1 when no attempt is left. */
  private long retryDelayMs(List<String> f, RetryPolicy defaultPolicy) {
    try {
      int attempt = Integer.parseInt(f.get(2));
      int max = Integer.parseInt(f.get(3));
      Backoff backoff = f.get(4) == null ? defaultPolicy.backoff() : Backoff.parse(f.get(4));
      return new RetryPolicy(max, backoff).nextDelay(attempt, random).map(Duration::toMillis)
          .orElse(-1L);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  // ---- reading ----

  @Override
  public Optional<Job> get(String queue, String id) {
    return queries.get(queue, id);
  }

  @Override
  public Optional<Job> find(String id) {
    return queries.find(List.copyOf(queues()), id);
  }

  @Override
  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    return queries.list(queue, status, offset, limit);
  }

  // ---- operating ----

  @Override
  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    List<Object> args = new ArrayList<>();
    args.add(config.cancelledRetention().toMillis());
    args.add(config.maxFinishedKept());
    args.addAll(idList);
    List<?> out = (List<?>) run(Script.CANCEL, queue, args.toArray());
    Map<String, CancelOutcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < idList.size(); i++) {
      outcomes.put(idList.get(i), Reply.cancelOutcome(out.get(i)));
    }
    return outcomes;
  }

  @Override
  public long retryFailed(String queue, Collection<String> ids) {
    List<String> idList = List.copyOf(ids);
    long moved = 0;
    for (int from = 0; from < idList.size(); from += BATCH) {
      List<Object> args = new ArrayList<>();
      args.add(BATCH);
      args.addAll(idList.subList(from, Math.min(idList.size(), from + BATCH)));
      moved += (Long) run(Script.RETRY_FAILED, queue, args.toArray());
    }
    return moved;
  }

  @Override
  public long retryAllFailed(String queue) {
    // bounded: jobs that fail again meanwhile wait for the next call
    Keys k = keys(queue);
    long rounds = redis.call(j -> j.zcard(k.failed())) / BATCH + 1;
    long moved = 0;
    for (long i = 0; i < rounds; i++) {
      long n = (Long) run(Script.RETRY_FAILED, queue, BATCH);
      moved += n;
      if (n == 0) {
        break;
      }
    }
    return moved;
  }

  @Override
  public ClearResult clear(String queue, boolean includeFailed, boolean dryRun) {
    long[] total = new long[4];
    while (true) {
      List<?> out = (List<?>) run(Script.CLEAR, queue, dryRun ? 1 : 0, includeFailed ? 1 : 0, BATCH);
      long sum = 0;
      for (int i = 0; i < 4; i++) {
        total[i] += (Long) out.get(i);
        sum += (Long) out.get(i);
      }
      if (dryRun || sum == 0) {
        return new ClearResult(total[0], total[1], total[2], total[3]);
      }
    }
  }

  @Override
  public long purge(String queue, Duration age) {
    long cutoff = clock.millis() - age.toMillis();
    long deleted = 0;
    long n;
    do {
      n = (Long) run(Script.PURGE, queue, cutoff, BATCH);
      deleted += n;
    } while (n > 0);
    return deleted;
  }

  @Override
  public void pause(String queue) {
    rememberQueue(queue);
    Keys k = keys(queue);
    redis.call(j -> j.hset(k.meta(), "paused", "1"));
  }

  @Override
  public void resume(String queue) {
    Keys k = keys(queue);
    redis.call(j -> {
      Pipeline p = j.pipelined();
      p.hset(k.meta(), "paused", "0");
      p.lpush(k.wake(), "1");
      p.ltrim(k.wake(), 0, 0);
      p.sync();
      return null;
    });
  }

  @Override
  public void setMaxDepth(String queue, long maxDepth) {
    rememberQueue(queue);
    Keys k = keys(queue);
    redis.call(j -> j.hset(k.meta(), "max_depth", Long.toString(maxDepth)));
  }

  @Override
  public QueueStats stats(String queue) {
    long now = clock.millis();
    Keys k = keys(queue);
    return redis.call(j -> QueueFigures.read(j, k, now));
  }

  // ---- events ----

  @Override
  public String eventsTail(String queue) {
    Keys k = keys(queue);
    List<StreamEntry> last = redis.call(j -> j.xrevrange(k.events(), "+", "-", 1));
    return last.isEmpty() ? "0-0" : last.get(0).getID().toString();
  }

  @Override
  public List<JobEvent> recentEvents(String queue, int max) {
    Keys k = keys(queue);
    List<StreamEntry> newest = redis.call(j -> j.xrevrange(k.events(), "+", "-", max));
    List<JobEvent> events = new ArrayList<>(newest.size());
    for (int i = newest.size() - 1; i >= 0; i--) {
      events.add(EventEntries.toEvent(queue, newest.get(i)));
    }
    return events;
  }

  @Override
  public List<JobEvent> readEvents(Map<String, String> after, int max, Duration maxWait)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Map<String, String> byKey = new LinkedHashMap<>();
    Map<String, String> queueOfKey = new LinkedHashMap<>();
    after.forEach((queue, position) -> {
      byKey.put(keys(queue).events(), position);
      queueOfKey.put(keys(queue).events(), queue);
    });
    // a reader that finds no free reading connection within its wait sees no event, and its
    // caller reads the job itself, as it does when a wait passes quietly
    if (!eventReaders.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
      return List.of();
    }
    List<Map.Entry<String, List<StreamEntry>>> read;
    try {
      read = redis.blockingRead(byKey, max, maxWait.toMillis());
    } finally {
      eventReaders.release();
    }
    List<JobEvent> events = new ArrayList<>();
    if (read != null) {
      for (Map.Entry<String, List<StreamEntry>> stream : read) {
        String queue = queueOfKey.get(stream.getKey());
        for (StreamEntry e : stream.getValue()) {
          events.add(EventEntries.toEvent(queue, e));
        }
      }
    }
    return events;
  }

  /**
   * Keeps about {@code kept} events in the queue's stream (10,000 unless set); 0 turns events
   * off, which also leaves {@link dev.jobq.JobClient#await} re-reading the job every few seconds.
   */
  public void setEventsKept(String queue, long kept) {
    if (kept < 0) {
      throw new IllegalArgumentException("events kept is negative: " + kept + "; use 0 for none");
    }
    rememberQueue(queue);
    Keys k = keys(queue);
    redis.call(j -> j.hset(k.meta(), "events_kept", Long.toString(kept)));
  }

  // ---- limits ----

  @Override
  public void setLimit(String queue, Limit limit) {
    rememberQueue(queue);
    String value = limit.maxRunning() + "," + limit.maxStarted() + ","
        + (limit.per() == null ? 0 : limit.per().toMillis());
    Keys k = keys(queue);
    redis.call(j -> j.hset(k.limits(), Limits.scope(limit.type()), value));
  }

  @Override
  public boolean removeLimit(String queue, String type) {
    Keys k = keys(queue);
    return redis.call(j -> j.hdel(k.limits(), Limits.scope(type))) == 1;
  }

  @Override
  public List<Limit> limits(String queue) {
    Keys k = keys(queue);
    return Limits.read(redis.call(j -> j.hgetAll(k.limits())));
  }

  // ---- recurring jobs ----

  @Override
  public void putSchedule(Schedule schedule) {
    rememberQueue(schedule.queue());
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
  public Set<String> queues() {
    Set<String> members = redis.call(j -> j.smembers(Keys.queues(config.prefix())));
    return new java.util.TreeSet<String>(members);
  }

  // ---- workers ----

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
  public String serverRunId() {
    String info = redis.call(j -> j.info("server"));
    for (String line : info.lines().toList()) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return null;
  }

  @Override
  public List<WorkerInfo> workers() {
    return workers.alive();
  }

  @Override
  public void close() {
    redis.close();
  }
}
