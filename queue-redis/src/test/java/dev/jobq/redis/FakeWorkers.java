package dev.jobq.redis;

import static dev.jobq.redis.ModelRun.LEASE;
import static dev.jobq.redis.ModelRun.QUEUE;
import static dev.jobq.redis.ModelRun.check;

import dev.jobq.Job;
import dev.jobq.redis.ProtocolModel.Attempt;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model test's workers: they claim, renew their leases and report (complete, fail,
 * release), and report again late, as a stale or restarted worker would. They remember what
 * they hold across a Redis restart, and every token any claim handed out.
 */
final class FakeWorkers {
  private static final List<String> WORKERS = List.of("w1", "w2", "w3");
  private static final int REPORTED_KEPT = 40;

  private final ModelRun run;
  /** Never rolled back: tokens are never handed out twice for a job id, whatever happens. */
  private final Map<String, Set<Long>> tokensSeen = new TreeMap<>();
  private final Map<String, List<Attempt>> held = new TreeMap<>();
  private final List<Attempt> reported = new ArrayList<>();
  private int claims;

  FakeWorkers(ModelRun run) {
    this.run = run;
    WORKERS.forEach(w -> held.put(w, new ArrayList<>()));
  }

  void claim() {
    String worker = run.pick(WORKERS);
    int max = 1 + run.rnd.nextInt(3);
    long now = run.clock.millis();
    QueueView before = run.before;
    long ready = before.jobs.keySet().stream().filter(id -> before.claimable(id, now)).count();
    List<Job> jobs = run.broker.claim(QUEUE, worker, max, LEASE);
    List<Attempt> got = new ArrayList<>();
    for (Job j : jobs) {
      got.add(new Attempt(j.id(), j.token(), worker, ++claims));
    }
    run.log("claim " + worker + " max " + max + " -> " + got);
    for (Attempt a : got) {
      check(before.claimable(a.id(), now), "claimed " + a + ", but the job was "
          + before.status(a.id()) + " and not due");
      check(tokensSeen.computeIfAbsent(a.id(), x -> new TreeSet<>()).add(a.token()),
          "claim handed out token " + a.token() + " for job " + a.id() + " again (tokens seen: "
              + tokensSeen.get(a.id()) + ")");
      run.model.claimed(a, now + LEASE.toMillis());
      held.get(worker).add(a);
    }
    check(jobs.size() == Math.min(max, ready), "claim of " + max + " got " + jobs.size()
        + " jobs while " + ready + " were ready");
  }

  void heartbeat() {
    String worker = run.pick(WORKERS);
    Map<String, Attempt> newest = new LinkedHashMap<>();
    held.get(worker).forEach(a -> newest.put(a.id(), a));
    if (newest.isEmpty()) {
      claim();
      return;
    }
    Map<String, Long> tokens = new LinkedHashMap<>();
    newest.forEach((id, a) -> tokens.put(id, a.token()));
    Map<String, LeaseState> out = run.broker.renewLeases(QUEUE, worker, tokens, LEASE);
    run.log("heartbeat " + newest.values() + " -> " + out);
    newest.forEach((id, a) -> {
      boolean live = run.model.mustAccept(a);
      check((out.get(id) == LeaseState.HELD) == live, "heartbeat of " + a + " answered "
          + out.get(id) + " while the model's live attempt is " + run.model.live.get(id));
      if (live) {
        run.model.deadline.put(id, run.clock.millis() + LEASE.toMillis());
      }
    });
  }

  /** A worker reports an attempt: complete, fail or release; late: one it reported before. */
  void report(boolean late) {
    List<Attempt> all = new ArrayList<>();
    held.values().forEach(all::addAll);
    if (late) {
      all = reported;
    }
    if (all.isEmpty()) {
      claim();
      return;
    }
    Attempt a = run.pick(all);
    if (!late) {
      held.get(a.worker()).remove(a);
      reported.add(a);
      if (reported.size() > REPORTED_KEPT) {
        reported.remove(0);
      }
    }
    int kind = run.rnd.nextInt(10);
    String what;
    boolean accepted;
    if (kind < 5) {
      boolean viaRaw = run.rnd.nextBoolean();
      accepted = viaRaw ? run.raw.complete(a.id(), a.token())
          : run.broker.complete(QUEUE, a.id(), a.token(), "{}");
      what = viaRaw ? "complete (raw)" : "complete";
    } else if (kind < 8) {
      Duration delay = run.rnd.nextInt(3) == 0 ? null : Duration.ofMillis(run.rnd.nextInt(5_000));
      FailOutcome o = run.broker.fail(QUEUE, a.id(), a.token(),
          Failure.of("model.Boom", "boom"), delay);
      accepted = o != FailOutcome.STALE;
      what = "fail delay " + (delay == null ? "none" : delay.toMillis()) + " -> " + o;
    } else {
      accepted = run.broker.release(QUEUE, a.id(), a.token());
      what = "release";
    }
    run.log((late ? "late " : "") + what + " " + a + (accepted ? " accepted" : " refused"));
    ProtocolModel model = run.model;
    if (accepted) {
      String wrong = model.acceptedWrongly(a);
      check(wrong == null, wrong);
      model.accepted.add(a);
      model.ended(a.id());
      model.completed += what.startsWith("complete") ? 1 : 0;
      model.failCalls += what.startsWith("fail") ? 1 : 0;
      model.released += what.equals("release") ? 1 : 0;
    } else {
      check(!model.mustAccept(a), what + " of the running attempt " + a + " was refused");
    }
  }
}
