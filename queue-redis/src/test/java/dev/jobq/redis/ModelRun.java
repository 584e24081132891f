package dev.jobq.redis;

import dev.jobq.Backoff;
import dev.jobq.CancelOutcome;
import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.RetryPolicy;
import dev.jobq.contract.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One random sequence of operations against a real Redis, through {@link RedisBroker} and, as a
 * client in another language would, raw EVALSHA ({@link RawCalls}); after every step the
 * checks of {@link ModelChecks}. The first broken rule throws, naming the step.
 */
final class ModelRun implements AutoCloseable {
  static final String QUEUE = "q";
  static final Duration LEASE = Duration.ofSeconds(30);
  private static final List<String> UNIQUE_KEYS = List.of("u1", "u2", "u3");

  final long seed;
  final Random rnd;
  private final Set<String> skipped;
  private final TestRedis redis;
  final MutableClock clock = new MutableClock(Fixture.START);
  private final String prefix;
  private final Keys keys;
  final List<String> steps = new ArrayList<>();
  RedisBroker broker;
  RawCalls raw;
  ProtocolModel model = new ProtocolModel();
  private ProtocolModel saved;
  QueueView before;
  /** Not rolled back by a restart: workers do not forget. */
  private final FakeWorkers workers = new FakeWorkers(this);
  private final Set<String> cancelledByStep = new HashSet<>();
  private boolean restarted;
  private int stepNo;
  private int nextId;

  ModelRun(TestRedis redis, long seed, Set<String> skipped) {
    this.redis = redis;
    this.seed = seed;
    this.rnd = new Random(seed);
    this.skipped = skipped;
    this.prefix = "m" + Long.toHexString(seed);
    this.keys = new Keys(prefix, QUEUE);
    connect();
    raw.flushAll();
    before = raw.view();
  }

  private void connect() {
    broker = RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix)
        .clock(clock).completedRetention(Duration.ofMinutes(10))
        .cancelledRetention(Duration.ofMinutes(10)).maxFinishedKept(20).build());
    raw = new RawCalls(redis, keys, clock);
  }

  /** Runs one random step and checks what must hold after it. */
  void step() {
    stepNo++;
    cancelledByStep.clear();
    restarted = false;
    int roll = rnd.nextInt(100);
    if (roll < 22) {
      enqueue();
    } else if (roll < 26) {
      replaceFinished();
    } else if (roll < 30) {
      badBatch();
    } else if (roll < 46) {
      workers.claim();
    } else if (roll < 51) {
      workers.heartbeat();
    } else if (roll < 70) {
      workers.report(false);
    } else if (roll < 73) {
      workers.report(true);
    } else if (roll < 80) {
      cancel();
    } else if (roll < 83) {
      retryFailed();
    } else if (roll < 88) {
      reap();
    } else if (roll < 96) {
      advance(Duration.ofMillis(rnd.nextInt(6_000)));
    } else if (roll < 98) {
      save();
    } else {
      restart();
    }
    QueueView now = raw.view();
    List<String> broken = new ArrayList<>(
        ModelChecks.state(now, model, broker.tools().doctor(QUEUE, false)));
    if (!restarted) {
      broken.addAll(ModelChecks.dependencies(before, now, cancelledByStep, model));
    }
    model.endedOnce.addAll(now.withStatus("COMPLETED", "FAILED", "CANCELLED"));
    if (!broken.isEmpty()) {
      throw new AssertionError(String.join("\n", broken));
    }
    before = now;
  }

  private boolean on(String op) {
    return !skipped.contains(op);
  }

  void log(String line) {
    steps.add(stepNo + " " + line);
  }

  static void check(boolean ok, String broken) {
    if (!ok) {
      throw new AssertionError(broken);
    }
  }

  <T> T pick(List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  // ---- producing ----

  private JobRequest.Builder request(String id) {
    JobRequest.Builder b = JobRequest.builder("t" + rnd.nextInt(3)).id(id).queue(QUEUE)
        .priority(Priority.ofLevel(rnd.nextInt(4))).maxAttempts(1 + rnd.nextInt(3))
        .backoff(Backoff.fixed(Duration.ofSeconds(2)));
    if (rnd.nextInt(5) == 0) {
      b.delay(Duration.ofMillis(1 + rnd.nextInt(10_000)));
    }
    return b;
  }

  /** Up to two parents among the jobs there are (or earlier in the batch), maybe runs-anyway. */
  private void maybeDepend(JobRequest.Builder b, String id, List<String> earlier, int percent) {
    List<String> candidates = new ArrayList<>(earlier);
    candidates.addAll(before.jobs.keySet());
    candidates.remove(id);
    if (candidates.isEmpty() || rnd.nextInt(100) >= percent) {
      return;
    }
    Set<String> parents = new HashSet<>();
    for (int i = rnd.nextInt(2); i >= 0; i--) {
      parents.add(pick(candidates));
    }
    b.dependsOn(new ArrayList<>(new java.util.TreeSet<>(parents)));
    if (rnd.nextInt(3) == 0) {
      b.runEvenIfParentsFail();
    }
  }

  /** Fresh ids, ids of unfinished jobs and (resent) ids of finished ones, singly or batched. */
  private void enqueue() {
    int size = rnd.nextInt(10) < 6 ? 1 : 2 + rnd.nextInt(3);
    List<JobRequest> batch = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Map<Integer, String> uniqueKeys = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      List<String> reusable = before.jobs.keySet().stream().filter(id -> !ids.contains(id)
          && (on("resend") || before.isUnfinished(id))).toList();
      String id = rnd.nextInt(10) < 3 && !reusable.isEmpty() ? pick(reusable) : "j" + ++nextId;
      JobRequest.Builder b = request(id);
      maybeDepend(b, id, ids, 25);
      if (size == 1 && !before.jobs.containsKey(id) && rnd.nextInt(10) < 3) {
        uniqueKeys.put(i, pick(UNIQUE_KEYS));
        b.unique(uniqueKeys.get(i), Duration.ofMillis(1_000 + rnd.nextInt(4_000)));
      }
      JobRequest r = b.build();
      batch.add(r);
      ids.add(id);
    }
    List<EnqueueResult> out = broker.enqueue(batch);
    log("enqueue " + describe(batch) + " -> " + out.stream()
        .map(r -> r.jobId() + (r.created() ? "+" : "=") + r.status()).toList());
    for (int i = 0; i < batch.size(); i++) {
      expectEnqueued(batch.get(i), out.get(i), uniqueKeys.get(i));
    }
  }

  private void expectEnqueued(JobRequest r, EnqueueResult got, String uniqueKey) {
    String id = r.id();
    String holder = uniqueKey == null ? null : model.holder(uniqueKey, clock.millis());
    if (before.jobs.containsKey(id)) {
      check(!got.created() && got.status().name().equals(before.status(id)), "enqueue of "
          + id + ", a job that is " + before.status(id) + ", answered " + got
          + (before.isFinished(id) ? ": resending a finished id must answer that job" : ""));
    } else if (holder != null && before.jobs.containsKey(holder)) {
      check(!got.created() && got.jobId().equals(holder), "enqueue of " + id + " with unique"
          + " key " + uniqueKey + ", held by " + holder + " until "
          + model.windows.get(uniqueKey).until() + " (now " + clock.millis() + "), answered "
          + got);
    } else {
      check(got.created() && got.jobId().equals(id), "enqueue of a new id " + id
          + " answered " + got);
    }
    if (got.created()) {
      model.created(id, stepNo);
      if (uniqueKey != null) {
        model.windows.put(uniqueKey,
            new ProtocolModel.Window(id, clock.millis() + r.uniqueWindow().toMillis()));
      }
    }
  }

  private static String describe(List<JobRequest> batch) {
    return batch.stream().map(r -> r.id() + "/p" + r.priority().level()
        + (r.dependsOn().isEmpty() ? "" : "<" + r.dependsOn()
            + (r.runsEvenIfParentsFail() ? "!" : ""))
        + (r.delay().isZero() ? "" : "+" + r.delay().toMillis())
        + (r.uniqueKey() == null ? "" : " u=" + r.uniqueKey() + ":" + r.uniqueWindow().toMillis()))
        .toList().toString();
  }

  /**
   * The one door through which the test runs a finished job's id again.
   */
  static JobRequest.Builder replacing(JobRequest.Builder b) {
    return b.replaceFinished();
  }

  private void replaceFinished() {
    List<String> finished = before.withStatus("COMPLETED", "FAILED", "CANCELLED");
    if (finished.isEmpty() || !on("replace")) {
      enqueue();
      return;
    }
    String id = pick(finished);
    JobRequest.Builder b = request(id);
    maybeDepend(b, id, List.of(), 60);
    JobRequest r = replacing(b).build();
    EnqueueResult got = broker.enqueue(List.of(r)).get(0);
    log("replace " + describe(List.of(r)) + " (was " + before.status(id) + ") -> " + got.status()
        + (got.created() ? " created" : " not created"));
    check(got.created(), "replacing finished job " + id + " created nothing: " + got);
    model.created(id, stepNo);
  }

  /** A batch with one bad member, sent raw as a client in another language could. */
  private void badBatch() {
    if (!on("badBatch")) {
      advance(Duration.ofMillis(rnd.nextInt(1_000)));
      return;
    }
    int size = 2 + rnd.nextInt(2);
    int bad = rnd.nextInt(size);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add("j" + ++nextId);
    }
    String kind = pick(RawCalls.BAD_MEMBERS);
    Map<String, String> dumpBefore = raw.dump(prefix);
    Object answer = raw.enqueueWithBadMember(ids, bad, kind);
    log("bad batch " + ids + ", member " + ids.get(bad) + " " + kind + " -> " + answer);
    check(RawCalls.refused(answer), "a batch whose member " + ids.get(bad) + " has " + kind
        + " was accepted: " + answer);
    Map<String, String> dumpAfter = raw.dump(prefix);
    check(dumpAfter.equals(dumpBefore), "a refused batch (member " + ids.get(bad) + " has "
        + kind + ", answer " + answer + ") wrote to Redis: " + raw.diff(dumpBefore, dumpAfter));
  }

  // ---- operating ----

  private void cancel() {
    List<String> targets = new ArrayList<>();
    for (int i = rnd.nextInt(4) == 0 ? 1 : 0; i >= 0; i--) {
      String status = pick(List.of("WAITING", "DELAYED", "BLOCKED", "ACTIVE", "ACTIVE", "any"));
      List<String> from = status.equals("any") ? new ArrayList<>(before.jobs.keySet())
          : before.withStatus(status);
      String id = from.isEmpty() ? "nope" + rnd.nextInt(3) : pick(from);
      if (!targets.contains(id)) {
        targets.add(id);
      }
    }
    Map<String, CancelOutcome> out = broker.cancel(QUEUE, targets);
    log("cancel " + targets + " -> " + out);
    QueueView now = raw.view();
    out.forEach((id, o) -> {
      CancelOutcome expected = before.status(id) == null ? CancelOutcome.NOT_FOUND
          : before.isFinished(id) ? CancelOutcome.ALREADY_FINISHED : CancelOutcome.CANCELLED;
      // cancelling a parent first cancels its blocked children with it
      boolean byParent = o == CancelOutcome.ALREADY_FINISHED && "CANCELLED".equals(now.status(id));
      check(o == expected || byParent, "cancel of " + id + " (was " + before.status(id)
          + ") answered " + o);
      if (o == CancelOutcome.CANCELLED) {
        cancelledByStep.add(id);
        model.ended(id);
      }
    });
  }

  private void retryFailed() {
    List<String> ids = new ArrayList<>();
    List<String> failed = before.withStatus("FAILED");
    if (!failed.isEmpty()) {
      ids.add(pick(failed));
    }
    if (!before.jobs.isEmpty() && rnd.nextBoolean()) {
      ids.add(pick(new ArrayList<>(before.jobs.keySet())));
    }
    long expected = ids.stream().distinct().filter(id -> "FAILED".equals(before.status(id)))
        .count();
    long moved = broker.retryFailed(QUEUE, ids);
    log("retry failed " + ids + " -> " + moved);
    check(moved == expected, "retry of " + ids + " moved " + moved + ", expected " + expected);
  }

  /** The clock moves past leases and the reaper runs: it ends exactly the expired attempts. */
  private void reap() {
    advance(LEASE.plusMillis(rnd.nextInt(30_000)));
    long now = clock.millis();
    List<String> expired = model.deadline.entrySet().stream()
        .filter(e -> e.getValue() <= now).map(Map.Entry::getKey).toList();
    int reaped = broker.reapExpired(QUEUE, RetryPolicy.DEFAULT, 1000);
    log("reap (expired " + expired + ") -> " + reaped);
    check(reaped >= expired.size(), "the reaper ended " + reaped + " leases of " + expired);
    expired.forEach(model::ended);
  }

  private void advance(Duration d) {
    clock.advance(d);
    log("clock +" + d.toMillis() + " ms");
  }

  // ---- Redis losing its latest writes ----

  private void save() {
    if (!on("restart")) {
      return;
    }
    raw.save();
    saved = model.copy();
    log("SAVE");
  }

  /** Kill -9 and restart from the last SAVE; the model rolls back, the workers remember. */
  private void restart() {
    if (saved == null || !on("restart")) {
      advance(Duration.ofMillis(rnd.nextInt(1_000)));
      return;
    }
    close();
    redis.kill();
    redis.restart();
    connect();
    model = saved.copy();
    restarted = true;
    log("kill -9 and restart from the SAVE");
  }

  @Override
  public void close() {
    broker.close();
    raw.close();
  }
}
