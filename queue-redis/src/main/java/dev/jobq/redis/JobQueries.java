package dev.jobq.redis;

import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** The read side: a job by id, a job anywhere, a page of jobs of one status. */
final class JobQueries {
  private final Connections redis;
  private final Function<String, Keys> keys;

  JobQueries(Connections redis, Function<String, Keys> keys) {
    this.redis = redis;
    this.keys = keys;
  }

  Optional<Job> get(String queue, String id) {
    Map<String, String> h = redis.call(j -> j.hgetAll(keys.apply(queue).job(id)));
    return h.isEmpty() ? Optional.empty() : Optional.of(JobHash.fromMap(queue, id, h));
  }

  Optional<Job> find(List<String> queues, String id) {
    List<Boolean> exists = redis.call(j -> {
      Pipeline p = j.pipelined();
      List<Response<Boolean>> r = new ArrayList<>();
      for (String q : queues) {
        r.add(p.exists(keys.apply(q).job(id)));
      }
      p.sync();
      return r.stream().map(Response::get).toList();
    });
    for (int i = 0; i < queues.size(); i++) {
      if (exists.get(i)) {
        return get(queues.get(i), id);
      }
    }
    return Optional.empty();
  }

  /** Waiting jobs in the order they will run; the others oldest first, finished newest first. */
  JobPage list(String queue, JobStatus status, long offset, int limit) {
    Keys k = keys.apply(queue);
    return redis.call(j -> {
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
      return new JobPage(hashes(j, queue, k, ids), offset, total);
    });
  }

  /** Pages through the four priority sets as if they were one list. */
  private static long waitingPage(Jedis j, Keys k, long offset, int limit, List<String> ids) {
    long total = 0;
    long skip = offset;
    for (int level = 0; level < 4; level++) {
      long size = j.zcard(k.waiting(level));
      total += size;
      if (ids.size() < limit && skip < size) {
        ids.addAll(j.zrange(k.waiting(level), skip, skip + (limit - ids.size()) - 1));
      }
      skip = Math.max(0, skip - size);
    }
    return total;
  }

  /** Jobs expired by retention since the index was read are left out. */
  private static List<Job> hashes(Jedis j, String queue, Keys k, List<String> ids) {
    Pipeline p = j.pipelined();
    List<Response<Map<String, String>>> hashes = new ArrayList<>();
    for (String id : ids) {
      hashes.add(p.hgetAll(k.job(id)));
    }
    p.sync();
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> h = hashes.get(i).get();
      if (!h.isEmpty()) {
        jobs.add(JobHash.fromMap(queue, ids.get(i), h));
      }
    }
    return jobs;
  }
}
