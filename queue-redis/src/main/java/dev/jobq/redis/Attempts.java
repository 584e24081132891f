package dev.jobq.redis;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import dev.jobq.spi.WorkerBroker.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * A worker's side of a job's attempt: claim it under a lease, wait for work, renew the lease,
 * and end the attempt (complete, fail, release), each end checked against the lease token.
 */
final class Attempts {
  private static final Logger log = LoggerFactory.getLogger(Attempts.class);
  /** fail.lua's answer when the job's attempts are exhausted and it names a takeover. */

  private final Queues queues;
  private final Escalations escalations;

  Attempts(Queues queues, Escalations escalations) {
    this.queues = queues;
    this.escalations = escalations;
  }

  /** claim.lua takes the types after its fixed arguments; none: any type, today's fast path. */
  List<Job> claim(String queue, String workerId, int max, Duration lease, Set<String> types) {
    List<Object> args = new ArrayList<>(List.of(workerId, max, lease.toMillis()));
    if (types != null) {
      args.addAll(types);
    }
    List<?> out = (List<?>) queues.runRaw(Script.CLAIM, queue, args.toArray());
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
    queues.run(Script.FAIL, queue, id, token, "dev.jobq.MalformedJob", e.getMessage(), "", -1, "-");
  }

  /**
   * Blocks on the queues' wake lists, but no longer than until the next delayed job is due or
   * a rate limit's window opens: neither pushes a wake-up.
   */
  boolean awaitWork(Collection<String> queueNames, Duration maxWait) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long now = queues.now();
    long waitMs = maxWait.toMillis();
    // keys first: the first use of a queue reads Redis, which must not wait for a second
    // connection while this call holds one
    List<Keys> queueKeys = List.copyOf(queueNames).stream().map(queues::keys).toList();
    List<Double> nextDue = nextDue(queueKeys, now);
    for (double due : nextDue) {
      waitMs = Math.min(waitMs, (long) due - now);
    }
    if (waitMs <= 0) {
      return true;
    }
    String[] wakeKeys = queueKeys.stream().map(Keys::wake).toArray(String[]::new);
    List<String> woke = queues.redis.blockingPop(wakeKeys, waitMs);
    return woke != null || !nextDue.isEmpty() && waitMs < maxWait.toMillis();
  }

  /** The next delayed job due, and the next start window a rate limit waits for, per queue. */
  private List<Double> nextDue(List<Keys> queueKeys, long now) {
    List<Double> due = new ArrayList<>();
    for (List<Keys> group : queues.redis.bySlot(queueKeys, k -> k.base)) {
      due.addAll(nextDueOnSlot(group, now));
    }
    return due;
  }

  private List<Double> nextDueOnSlot(List<Keys> queueKeys, long now) {
    return queues.redis.call(queueKeys.get(0).base, j -> {
      Pipeline p = j.pipelined();
      List<Response<List<Tuple>>> heads = new ArrayList<>();
      List<Response<String>> windows = new ArrayList<>();
      for (Keys k : queueKeys) {
        heads.add(p.zrangeWithScores(k.delayed(), 0, 0));
        windows.add(p.hget(k.limitState(), "held_until"));
      }
      Pipelines.syncChecked(p);
      List<Double> due = new ArrayList<>();
      heads.forEach(r -> r.get().forEach(t -> due.add(t.getScore())));
      windows.stream().map(Response::get).filter(w -> w != null && w.matches("\\d{1,18}"))
          .map(Double::valueOf).filter(w -> w > now).forEach(due::add);
      return due;
    });
  }

  void wakeIdleWorkers(Collection<String> queueNames) {
    for (String q : queueNames) {
      queues.run(Script.WAKE, q);
    }
  }

  Map<String, LeaseState> renewLeases(String queue, Map<String, Long> tokens, Duration lease) {
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
    List<?> out = (List<?>) queues.run(Script.HEARTBEAT, queue, args.toArray());
    Map<String, LeaseState> states = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      states.put(ids.get(i), Reply.leaseState(out.get(i)));
    }
    return states;
  }

  List<Boolean> completeAll(String queue, List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    RedisConfig config = queues.config;
    List<String> args = new ArrayList<>(3 + completions.size() * 3);
    args.add(Long.toString(config.completedRetention().toMillis()));
    args.add(Long.toString(config.maxFinishedKept()));
    args.add(Integer.toString(completions.size()));
    for (Completion c : completions) {
      args.add(c.id());
      args.add(Long.toString(c.token()));
      args.add(c.resultJson() == null ? "" : c.resultJson());
    }
    List<?> out = (List<?>) queues.run(Script.COMPLETE, queue, args);
    return out.stream().map(Reply::done).toList();
  }

  /**
   * A failure that exhausts an escalating job's attempts is answered {@code ESCALATES} without
   * a write; the takeover is enqueued and the failure sent again, naming it.
   */
  FailOutcome fail(String queue, String id, long token, Failure failure, Duration retryDelay) {
    long delay = retryDelay == null ? -1 : Math.max(0, retryDelay.toMillis());
    Reply reply = runFail(queue, id, token, failure, delay, "");
    if (reply == Reply.ESCALATES) {
      EnqueueResult takeover = escalations.escalate(queue, id);
      reply = runFail(queue, id, token, failure, delay, Escalations.takeoverOf(takeover));
      escalations.dropIfOrphan(queue, id, takeover);
    }
    return reply.failOutcome();
  }

  private Reply runFail(String queue, String id, long token, Failure failure, long delay,
      String escalatedTo) {
    RedisConfig config = queues.config;
    return Reply.of(queues.run(Script.FAIL, queue, id, token, failure.errorClass(),
        nullToEmpty(failure.message()), nullToEmpty(failure.stack()), delay, escalatedTo,
        config.failedRetention().toMillis(), config.cancelledRetention().toMillis(),
        config.maxFinishedKept()), Reply.FAIL);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  boolean release(String queue, String id, long token) {
    return Reply.done(queues.run(Script.RELEASE, queue, id, token));
  }

  boolean progress(String queue, String id, long token, String progressJson) {
    return Reply.done(queues.run(Script.PROGRESS, queue, id, token, progressJson));
  }
}
