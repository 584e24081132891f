package dev.jobq.redis;

import dev.jobq.Backoff;
import dev.jobq.EnqueueResult;
import dev.jobq.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back what workers left behind: jobs whose lease expired (their worker died or
 * stalled) end their attempt as a failed one, escalating where they say so; finished jobs
 * past their retention leave. Safe to run from many workers at once.
 */
final class Reaper {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final Queues queues;
  private final JobQueries queries;
  private final Escalations escalations;
  private final RandomGenerator random = RandomGenerator.getDefault();

  Reaper(Queues queues, JobQueries queries, Escalations escalations) {
    this.queues = queues;
    this.queries = queries;
    this.escalations = escalations;
  }

  int reapExpired(String queue, RetryPolicy defaultPolicy, int limit) {
    Map<String, List<String>> candidates = candidates(queue, limit);
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
        takeovers.put((String) id, escalations.escalate(queue, (String) id));
      }
      List<?> again = reap(queue, candidates, defaultPolicy, takeovers);
      reaped += (int) (long) (Long) again.get(0);
      takeovers.forEach((id, r) -> escalations.dropIfOrphan(queue, id, r));
    }
    if (reaped > 0) {
      log.warn("queue {}: {} job(s) had an expired lease (their worker died or stalled); "
          + "retried or dead-lettered", queue, reaped);
    }
    return reaped;
  }

  /**
   * Up to {@code limit} expired ids, each with what the reap call and {@link #retryDelayMs}
   * read: id, token, attempt, max attempts, backoff. An id without a job this side can read
   * goes with no token: reap.lua drops it if it agrees.
   */
  private Map<String, List<String>> candidates(String queue, int limit) {
    Keys k = queues.keys(queue);
    long now = queues.now();
    List<String> ids = queues.redis.call(k.base,
        j -> j.zrangeByScore(k.active(), Double.NEGATIVE_INFINITY, now, 0, limit));
    Map<String, Map<String, String>> readable = queries.readable(queue, ids);
    Map<String, List<String>> candidates = new LinkedHashMap<>();
    for (String id : ids) {
      Map<String, String> f = readable.get(id);
      candidates.put(id, f == null ? Arrays.asList(id, "", null, null, null)
          : Arrays.asList(id, f.getOrDefault("token", "0"), f.getOrDefault("attempt", "0"),
              f.get("max_attempts"), f.get("backoff")));
    }
    return candidates;
  }

  /**
   * Finished jobs leave with their index entries: each completion, failure or cancellation
   * trims its own index as it goes, and this catches up on a queue that went quiet.
   */
  long expireFinished(String queue) {
    RedisConfig config = queues.config;
    return (Long) queues.run(Script.EXPIRE, queue, config.completedRetention().toMillis(),
        config.maxFinishedKept(), config.failedRetention().toMillis(),
        config.cancelledRetention().toMillis());
  }

  /**
   * One reap call for the candidates, or, with {@code takeovers}, for those only: each with the
   * job that takes over from it ("-" for none: dead-letter it).
   */
  private List<?> reap(String queue, Map<String, List<String>> candidates,
      RetryPolicy defaultPolicy, Map<String, EnqueueResult> takeovers) {
    RedisConfig config = queues.config;
    List<Object> args = new ArrayList<>();
    args.add(config.failedRetention().toMillis());
    args.add(config.cancelledRetention().toMillis());
    args.add(config.maxFinishedKept());
    for (List<String> f : candidates.values()) {
      if (takeovers.isEmpty() || takeovers.containsKey(f.get(0))) {
        args.add(f.get(0));
        args.add(f.get(1));
        args.add(retryDelayMs(f, defaultPolicy));
        args.add(takeovers.isEmpty() ? "" : Escalations.takeoverOf(takeovers.get(f.get(0))));
      }
    }
    return (List<?>) queues.run(Script.REAP, queue, args.toArray());
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
}
