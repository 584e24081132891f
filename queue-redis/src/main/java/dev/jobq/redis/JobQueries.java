package dev.jobq.redis;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.JobqException;
import dev.jobq.QueueStats;
import dev.jobq.spi.FailedJob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** The read side: a job by id, a job anywhere, a page of jobs of one status, a queue's figures. */
final class JobQueries {
  private static final Logger log = LoggerFactory.getLogger(JobQueries.class);
  /** Ids per HMGET when many jobs are read. */
  private static final int CHUNK = 1000;

  private static final Set<String> FAILURE_FIELDS =
      Set.of("error_class", "error", "finished_at");

  private final Queues queues;
  private final Connections redis;

  JobQueries(Queues queues) {
    this.queues = queues;
    this.redis = queues.redis;
  }

  Optional<Job> get(String queue, String id) {
    return fields(queue, id).map(f -> StoredJob.fromMap(queue, id, f));
  }

  /** The stored fields of one job, each as text. */
  Optional<Map<String, String>> fields(String queue, String id) {
    return Optional.ofNullable(fields(queue, List.of(id)).get(id));
  }

  /**
   * The stored fields of the jobs that exist among {@code ids}, in their order; throws {@link
   * IllegalStateException} naming a job that cannot be read.
   */
  Map<String, Map<String, String>> fields(String queue, List<String> ids) {
    Keys k = queues.keys(queue);
    return redis.call(k.base, j -> read(j, k, ids));
  }

  /**
   * As {@link #fields(String, List)}, but a job that cannot be read (edited by hand) is logged
   * and left out: one such job must not stop a reader of many, such as the reaper.
   */
  Map<String, Map<String, String>> readable(String queue, List<String> ids) {
    Keys k = queues.keys(queue);
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    redis.call(k.base, j -> values(j, k, ids)).forEach((id, packed) -> {
      try {
        found.put(id, StoredJob.fields(queue, id, packed));
      } catch (IllegalStateException e) {
        log.warn("{}; left out (jobq doctor reports it)", e.getMessage());
      }
    });
    return found;
  }

  private static Map<String, Map<String, String>> read(Jedis j, Keys k, List<String> ids) {
    Map<String, Map<String, String>> found = new LinkedHashMap<>();
    values(j, k, ids).forEach((id, packed) -> found.put(id, StoredJob.fields(k.queue, id, packed)));
    return found;
  }

  /** The stored values of the jobs that exist among {@code ids}, in their order. */
  private static Map<String, byte[]> values(Jedis j, Keys k, List<String> ids) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      byte[][] fields = some.stream().map(id -> id.getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);
      List<byte[]> values = j.hmget(k.jobsBytes(), fields);
      for (int i = 0; i < some.size(); i++) {
        if (values.get(i) != null) {
          found.put(some.get(i), values.get(i));
        }
      }
    }
    return found;
  }

  /** The job in whichever queue has it; a queue refused (of an earlier layout) is passed over. */
  Optional<Job> find(String id) {
    Map<String, Keys> searched = new LinkedHashMap<>();
    for (String q : queues.names()) {
      try {
        searched.put(q, queues.keys(q));
      } catch (BrokerUnavailableException e) {
        throw e;
      } catch (JobqException e) {
        log.warn("{}; job {} is not looked for there", e.getMessage(), id);
      }
    }
    // one round trip per slot: under a cluster, each node answers for its own queues
    for (List<Keys> group : redis.bySlot(List.copyOf(searched.values()), k -> k.base)) {
      List<Boolean> exists = redis.call(group.get(0).base, j -> {
        Pipeline p = j.pipelined();
        List<Response<Boolean>> r = new ArrayList<>();
        for (Keys k : group) {
          r.add(p.hexists(k.jobs(), id));
        }
        Pipelines.syncChecked(p);
        return r.stream().map(Response::get).toList();
      });
      for (int i = 0; i < group.size(); i++) {
        if (exists.get(i)) {
          return get(group.get(i).queue, id);
        }
      }
    }
    return Optional.empty();
  }

  /** Waiting jobs in the order they will run; the others oldest first, finished newest first. */
  JobPage list(String queue, JobStatus status, long offset, int limit) {
    Keys k = queues.keys(queue);
    return redis.call(k.base, j -> {
      List<String> ids = new ArrayList<>();
      long total;
      if (status == JobStatus.WAITING) {
        total = waitingPage(j, k, offset, limit, ids);
      } else {
        String set = k.setOf(status);
        total = j.zcard(set);
        ids = status.isFinished()
            ? j.zrevrange(set, offset, offset + limit - 1)
            : j.zrange(set, offset, offset + limit - 1);
      }
      // jobs trimmed by retention since the index was read are left out
      List<Job> jobs = new ArrayList<>();
      read(j, k, ids).forEach((id, f) -> jobs.add(StoredJob.fromMap(queue, id, f)));
      return new JobPage(jobs, offset, total);
    });
  }

  /**
   * The newest failed jobs, each read from its error in short ({@link FailedErrors}); a job
   * failed before those were kept, or whose error in short cannot be read (edited or cut by
   * hand), is decoded from the job, only as far as its error fields. A job trimmed since the
   * index was read, or that cannot be read either, is left out.
   */
  List<FailedJob> newestFailed(String queue, int max) {
    if (max <= 0) {
      return List.of();
    }
    Keys k = queues.keys(queue);
    return redis.call(k.base, j -> {
      List<String> ids = j.zrevrange(k.failed(), 0, max - 1L);
      Map<String, FailedJob> failed = fromSummaries(k, ids, FailedErrors.read(j, k, ids));
      List<String> unread = ids.stream().filter(id -> failed.get(id) == null).toList();
      failed.putAll(failedFromJobs(j, k, unread));
      return ids.stream().map(failed::get).filter(job -> job != null).toList();
    });
  }

  /** By id, the jobs whose error in short reads; null for the others, to be read whole. */
  private static Map<String, FailedJob> fromSummaries(Keys k, List<String> ids,
      List<String> summaries) {
    Map<String, FailedJob> failed = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String summary = summaries.get(i);
      FailedJob job = summary == null ? null : FailedErrors.parse(ids.get(i), summary);
      if (summary != null && job == null) {
        unreadable.add(ids.get(i));
      }
      failed.put(ids.get(i), job);
    }
    // one line per call, not per job: a dashboard refresh may read 10,000 of them
    if (!unreadable.isEmpty()) {
      log.warn("the error in short of {} failed job(s) in queue {} cannot be read (first: {});"
          + " those jobs are read instead (jobq doctor --repair writes them again)",
          unreadable.size(), k.queue, firstFew(unreadable));
    }
    return failed;
  }

  /** The first few ids of a list, for a log line that stays short. */
  private static List<String> firstFew(List<String> ids) {
    return ids.subList(0, Math.min(ids.size(), 5));
  }

  /** Failed jobs read from the jobs themselves, only as far as their error fields. */
  private static Map<String, FailedJob> failedFromJobs(Jedis j, Keys k, List<String> ids) {
    Map<String, FailedJob> failed = new LinkedHashMap<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    values(j, k, ids).forEach((id, packed) -> {
      try {
        Map<String, String> f = MessagePack.readFields(packed, FAILURE_FIELDS);
        FailedJob job = FailedErrors.parse(id, FailedErrors.of(f));
        if (job != null) {
          failed.put(id, job);
        }
      } catch (RuntimeException e) {
        unreadable.put(id, e.getMessage());
      }
    });
    if (!unreadable.isEmpty()) {
      List<String> first = firstFew(new ArrayList<>(unreadable.keySet()));
      log.warn("{} failed job(s) in queue {} cannot be read (first: {}; job {}: {}); left out"
          + " (jobq doctor reports them)", unreadable.size(), k.queue, first, first.get(0),
          unreadable.get(first.get(0)));
    }
    return failed;
  }

  /** Pages through the four priority lists as if they were one. */
  private static long waitingPage(Jedis j, Keys k, long offset, int limit, List<String> ids) {
    long total = 0;
    long skip = offset;
    for (int level = 0; level < 4; level++) {
      long size = j.llen(k.waiting(level));
      total += size;
      if (ids.size() < limit && skip < size) {
        ids.addAll(j.lrange(k.waiting(level), skip, skip + (limit - ids.size()) - 1));
      }
      skip = Math.max(0, skip - size);
    }
    return total;
  }

  QueueStats stats(String queue) {
    long now = queues.now();
    Keys k = queues.keys(queue);
    return redis.call(k.base, j -> QueueFigures.read(j, k, now));
  }
}
