package dev.jobq.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * One queue as Redis holds it, read directly (not through the broker): every job's fields and
 * every list or set each id is in. The model test reads one after every step and checks the
 * placement invariant of docs/PROTOCOL.md against it.
 */
final class QueueView {
  private static final List<String> SETS =
      List.of("delayed", "active", "blocked", "failed", "completed", "cancelled");
  static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED");

  /** Job id to its fields as text. */
  final Map<String, Map<String, String>> jobs = new TreeMap<>();
  /** Job id to the lists and sets it is in ("wait:2", "active"), once per entry. */
  final Map<String, List<String>> where = new TreeMap<>();
  /** Score of each id in each sorted set: "delayed/id" to the due time, and so on. */
  final Map<String, Double> scores = new TreeMap<>();
  final Map<String, String> stats;

  private QueueView(Map<String, String> stats) {
    this.stats = stats;
  }

  static QueueView read(Jedis j, Keys k) {
    QueueView v = new QueueView(new TreeMap<>(j.hgetAll(k.stats())));
    j.hgetAll(k.jobsBytes()).forEach((id, packed) ->
        v.jobs.put(new String(id, UTF_8), MessagePack.readMap(packed)));
    for (int level = 0; level < 4; level++) {
      for (String id : j.lrange(k.waiting(level), 0, -1)) {
        v.where.computeIfAbsent(id, x -> new ArrayList<>()).add("wait:" + level);
      }
    }
    for (String set : SETS) {
      j.zrangeWithScores(k.base + set, 0, -1).forEach(t -> {
        v.where.computeIfAbsent(t.getElement(), x -> new ArrayList<>()).add(set);
        v.scores.put(set + "/" + t.getElement(), t.getScore());
      });
    }
    return v;
  }

  /** The job's status, or null when there is no such job. */
  String status(String id) {
    Map<String, String> job = jobs.get(id);
    return job == null ? null : job.get("status");
  }

  boolean isFinished(String id) {
    return FINISHED.contains(status(id));
  }

  boolean isUnfinished(String id) {
    return status(id) != null && !isFinished(id);
  }

  String field(String id, String field) {
    return jobs.getOrDefault(id, Map.of()).get(field);
  }

  long token(String id) {
    return Long.parseLong(jobs.get(id).getOrDefault("token", "0"));
  }

  /** Ids of jobs with one of these statuses, in id order. */
  List<String> withStatus(String... statuses) {
    Set<String> wanted = Set.of(statuses);
    return jobs.keySet().stream().filter(id -> wanted.contains(status(id))).toList();
  }

  /** Ready to be claimed now: waiting, or delayed and due. */
  boolean claimable(String id, long now) {
    Double due = scores.get("delayed/" + id);
    return "WAITING".equals(status(id)) || due != null && due <= now;
  }

  long stat(String name) {
    return Long.parseLong(stats.getOrDefault(name, "0"));
  }

  int count(String set) {
    return (int) where.values().stream().filter(w -> w.contains(set)).count();
  }

  /**
   * The one documented exception to "exactly one place": a job cancelled while it ran keeps
   * its lease (its id in active, holding its limit slot) until its worker reports or the lease
   * passes, while it is CANCELLED and indexed in cancelled.
   */
  static boolean cancelledWhileRunning(String status, List<String> places) {
    return "CANCELLED".equals(status)
        && new TreeSet<>(places).equals(new TreeSet<>(List.of("active", "cancelled")))
        && places.size() == 2;
  }

  /** Every job in exactly the one place its status names, and no entry without a job. */
  List<String> placementProblems() {
    List<String> problems = new ArrayList<>();
    where.forEach((id, places) -> {
      if (!jobs.containsKey(id)) {
        problems.add("id " + id + " is in " + places + " but has no job");
      }
    });
    jobs.forEach((id, job) -> {
      String status = job.get("status");
      List<String> places = where.getOrDefault(id, List.of());
      String expected = "WAITING".equals(status) ? "wait:" + job.get("pri")
          : String.valueOf(status).toLowerCase(java.util.Locale.ROOT);
      if (!places.equals(List.of(expected)) && !cancelledWhileRunning(status, places)) {
        problems.add("job " + id + " has status " + status + " but is in " + places);
      }
    });
    return problems;
  }

  /** The parents a job depends on now (its deps field). */
  List<String> parents(String id) {
    String deps = field(id, "deps");
    return deps == null ? List.of() : Arrays.asList(deps.split(","));
  }
}
