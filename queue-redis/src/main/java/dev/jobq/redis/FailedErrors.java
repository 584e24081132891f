package dev.jobq.redis;

import dev.jobq.internal.ErrorText;
import dev.jobq.spi.FailedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The failed jobs' errors in short ({@link QueueKey#FAILED_ERRORS}): failed id to {@code
 * "<finished_at>\n<the first line of its error>\n<error_class>"}, written and dropped by the
 * scripts as jobs enter and leave the failed set (lib.lua's move()), so that grouping thousands
 * of failed jobs by error reads, per job, 15 bytes more than the error's first line and class
 * (some 40 bytes for a short error such as "disk full"), not each job whole. Each costs about
 * 100 bytes of Redis memory, with its id and the hash's overhead (measured, PERFORMANCE.md).
 */
final class FailedErrors {
  /** Ids per HMGET. */
  private static final int CHUNK = 1000;

  private FailedErrors() {}

  /** The error in short of a failed job's fields, as lib.lua's failure_summary writes it. */
  static String of(Map<String, String> job) {
    return job.getOrDefault("finished_at", "") + "\n" + ErrorText.firstLine(job.get("error")) + "\n"
        + job.getOrDefault("error_class", "");
  }

  /** A failed job from its error in short; null when the text is not one. */
  static FailedJob parse(String id, String summary) {
    int first = summary.indexOf('\n');
    int second = first < 0 ? -1 : summary.indexOf('\n', first + 1);
    if (second < 0) {
      return null;
    }
    String finished = summary.substring(0, first);
    try {
      Instant at = finished.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(finished));
      return new FailedJob(id, summary.substring(second + 1), summary.substring(first + 1, second),
          at);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The errors in short of the ids, in their order (null where there is none): one round trip. */
  static List<String> read(Jedis j, Keys k, List<String> ids) {
    Pipeline p = j.pipelined();
    List<Response<List<String>>> chunks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      chunks.add(p.hmget(k.failedErrors(), some.toArray(String[]::new)));
    }
    Pipelines.syncChecked(p);
    List<String> all = new ArrayList<>(ids.size());
    chunks.forEach(r -> all.addAll(r.get()));
    return all;
  }
}
