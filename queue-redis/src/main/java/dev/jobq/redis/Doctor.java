package dev.jobq.redis;

import dev.jobq.JobStatus;
import dev.jobq.redis.DoctorReport.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Checks a queue's invariant: every job id is in exactly one of its lists and sets, its job
 * exists and its status names that list or set. It reads without locking, so a busy queue can
 * show a job in flight; the repairs re-check each job atomically (repair.lua) before touching
 * it.
 */
final class Doctor {
  private final Connections redis;
  private final Function<String, Keys> keys;
  private final LayoutUpgrade upgrade;
  private final BiFunction<String, List<String>, List<?>> repairScript;

  Doctor(Connections redis, Function<String, Keys> keys, LayoutUpgrade upgrade,
      BiFunction<String, List<String>, List<?>> repair) {
    this.redis = redis;
    this.keys = keys;
    this.upgrade = upgrade;
    this.repairScript = repair;
  }

  DoctorReport examine(String queue, boolean repair) {
    Keys k = keys.apply(queue);
    if (!upgrade.isEarlier(k)) {
      return check(queue, k, repair, List.of());
    }
    String earlier = "queue " + queue + " is in the layout of jobq before 0.2 (a hash per job)";
    if (!repair) {
      return new DoctorReport(queue, 0, List.of(new Finding(null, earlier
          + "; --repair moves it to this one (stop the workers of that version first)", true,
          false)));
    }
    LayoutUpgrade.Moved moved = upgrade.run(k);
    return check(queue, k, true, List.of(new Finding(null, earlier + ": moved " + moved.jobs()
        + " jobs, " + moved.waiting() + " of them waiting, to this one", true, true)));
  }

  private DoctorReport check(String queue, Keys k, boolean repair, List<Finding> first) {
    Map<String, String> statusOfSet = setsOf(k);
    Map<String, List<String>> where = new HashMap<>();
    Map<String, Map<String, String>> jobs = new HashMap<>();
    redis.call(j -> {
      for (String set : statusOfSet.keySet()) {
        List<String> ids = statusOfSet.get(set).equals(JobStatus.WAITING.name())
            ? j.lrange(set, 0, -1) : j.zrange(set, 0, -1);
        for (String id : ids) {
          where.computeIfAbsent(id, x -> new ArrayList<>()).add(set);
        }
      }
      jobs.putAll(scanJobs(j, k));
      return null;
    });
    Set<String> all = union(where.keySet(), jobs.keySet());
    Map<String, Finding> found = new LinkedHashMap<>();
    for (String id : all) {
      check(id, where.getOrDefault(id, List.of()), jobs.getOrDefault(id, Map.of()), statusOfSet, k)
          .ifPresent(f -> found.put(id, f));
    }
    List<Finding> findings = new ArrayList<>(first);
    List<Finding> problems = new ArrayList<>(found.values());
    findings.addAll(repair ? repairAll(queue, problems) : problems);
    return new DoctorReport(queue, all.size(), findings);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, String> setsOf(Keys k) {
    Map<String, String> sets = new LinkedHashMap<>();
    for (int level = 0; level < 4; level++) {
      sets.put(k.waiting(level), JobStatus.WAITING.name());
    }
    for (JobStatus status : JobStatus.values()) {
      if (status != JobStatus.WAITING) {
        sets.put(k.setOf(status), status.name());
      }
    }
    return sets;
  }

  /** Every job's status and priority; a value that cannot be read has neither. */
  private static Map<String, Map<String, String>> scanJobs(Jedis j, Keys k) {
    Map<String, Map<String, String>> jobs = new HashMap<>();
    ScanParams count = new ScanParams().count(1000);
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    do {
      ScanResult<Map.Entry<byte[], byte[]>> page = j.hscan(k.jobsBytes(), cursor, count);
      for (Map.Entry<byte[], byte[]> e : page.getResult()) {
        jobs.put(new String(e.getKey(), StandardCharsets.UTF_8), statusAndPriority(e.getValue()));
      }
      cursor = page.getCursorAsBytes();
    } while (!Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
    return jobs;
  }

  private static Map<String, String> statusAndPriority(byte[] packed) {
    Map<String, String> m = new HashMap<>();
    try {
      Map<String, String> f = MessagePack.readMap(packed);
      m.put("status", String.valueOf(f.get("status")));
      m.put("pri", String.valueOf(f.get("pri")));
    } catch (IllegalArgumentException e) {
      m.put("status", "unreadable (" + e.getMessage() + ")");
    }
    return m;
  }

  private static Optional<Finding> check(String id, List<String> sets,
      Map<String, String> job, Map<String, String> statusOfSet, Keys k) {
    if (job.isEmpty()) {
      return found(id, "is in " + String.join(", ", sets) + " but has no job", true);
    }
    String status = job.get("status");
    if (sets.isEmpty()) {
      return found(id, "has a job (status " + status + ") but is in no list or set"
          + ("ACTIVE".equals(status) ? ": an active job without a lease" : ""), true);
    }
    if (sets.size() > 1) {
      return found(id, "is in several lists or sets: " + String.join(", ", sets), false);
    }
    String set = sets.get(0);
    if (!statusOfSet.get(set).equals(status)) {
      return found(id, "is in " + set + " but its status is " + status, false);
    }
    if ("WAITING".equals(status) && !set.equals(k.waiting(parseLevel(job.get("pri"))))) {
      return found(id, "waits in " + set + " but its priority is " + job.get("pri"), false);
    }
    return Optional.empty();
  }

  private static int parseLevel(String pri) {
    try {
      return Integer.parseInt(pri);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Optional<Finding> found(String id, String problem, boolean repairable) {
    return Optional.of(new Finding(id, "job " + id + " " + problem, repairable, false));
  }

  private List<Finding> repairAll(String queue, List<Finding> findings) {
    List<String> args = new ArrayList<>();
    List<Finding> repairable = findings.stream().filter(Finding::repairable).toList();
    for (Finding f : repairable) {
      args.add(f.problem().contains("has no job") ? "drop" : "reindex");
      args.add(f.jobId());
    }
    if (args.isEmpty()) {
      return findings;
    }
    List<?> done = repairScript.apply(queue, args);
    Map<String, Boolean> repaired = new HashMap<>();
    for (int i = 0; i < repairable.size(); i++) {
      repaired.put(repairable.get(i).jobId(), (Long) done.get(i) == 1);
    }
    return findings.stream()
        .map(f -> new Finding(f.jobId(), f.problem(), f.repairable(),
            repaired.getOrDefault(f.jobId(), false)))
        .toList();
  }
}
