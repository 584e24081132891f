package dev.jobq.redis;

import dev.jobq.JobStatus;
import dev.jobq.redis.DoctorReport.Finding;
import java.util.ArrayList;
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
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Checks a queue's invariant: every job id is in exactly one of its sets, its hash exists and
 * its status names that set. It reads without locking, so a busy queue can show a job in
 * flight; the repairs re-check each job atomically (repair.lua) before touching it.
 */
final class Doctor {
  private final Connections redis;
  private final Function<String, Keys> keys;
  private final BiFunction<String, List<String>, List<?>> repairScript;

  Doctor(Connections redis, Function<String, Keys> keys,
      BiFunction<String, List<String>, List<?>> repair) {
    this.redis = redis;
    this.keys = keys;
    this.repairScript = repair;
  }

  DoctorReport examine(String queue, boolean repair) {
    Keys k = keys.apply(queue);
    Map<String, String> statusOfSet = setsOf(k);
    Map<String, List<String>> where = new HashMap<>();
    Map<String, Map<String, String>> hashes = new HashMap<>();
    Set<String> hashIds = new TreeSet<>();
    redis.call(j -> {
      for (String set : statusOfSet.keySet()) {
        for (String id : j.zrange(set, 0, -1)) {
          where.computeIfAbsent(id, x -> new ArrayList<>()).add(set);
        }
      }
      hashIds.addAll(scanJobIds(j, k));
      Pipeline p = j.pipelined();
      Map<String, Response<List<String>>> fields = new HashMap<>();
      for (String id : union(where.keySet(), hashIds)) {
        fields.put(id, p.hmget(k.job(id), "status", "pri"));
      }
      p.sync();
      fields.forEach((id, f) -> hashes.put(id, statusAndPriority(f.get())));
      return null;
    });
    Map<String, Finding> found = new LinkedHashMap<>();
    for (String id : union(where.keySet(), hashIds)) {
      check(id, where.getOrDefault(id, List.of()), hashes.get(id), statusOfSet, k)
          .ifPresent(f -> found.put(id, f));
    }
    List<Finding> findings = new ArrayList<>(found.values());
    if (repair) {
      findings = repairAll(queue, findings);
    }
    return new DoctorReport(queue, union(where.keySet(), hashIds).size(), findings);
  }

  private static Map<String, String> statusAndPriority(List<String> f) {
    Map<String, String> m = new HashMap<>();
    if (f.get(0) != null) {
      m.put("status", f.get(0));
    }
    if (f.get(1) != null) {
      m.put("pri", f.get(1));
    }
    return m;
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

  private static List<String> scanJobIds(Jedis j, Keys k) {
    List<String> ids = new ArrayList<>();
    ScanParams match = new ScanParams().match(k.jobPrefix() + "*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = j.scan(cursor, match);
      for (String key : page.getResult()) {
        ids.add(key.substring(k.jobPrefix().length()));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return ids;
  }

  private static Optional<Finding> check(String id, List<String> sets,
      Map<String, String> hash, Map<String, String> statusOfSet, Keys k) {
    boolean finishedOnly = sets.stream().allMatch(
        s -> s.equals(k.completed()) || s.equals(k.cancelled()));
    if (hash.isEmpty()) {
      // a finished job's hash expires by retention before its index entry is trimmed
      return finishedOnly ? Optional.empty()
          : found(id, "is in " + String.join(", ", sets) + " but has no hash", true);
    }
    String status = hash.get("status");
    if (sets.isEmpty()) {
      return found(id, "has a hash (status " + status + ") but is in no set"
          + ("ACTIVE".equals(status) ? ": an active job without a lease" : ""), true);
    }
    if (sets.size() > 1) {
      return found(id, "is in several sets: " + String.join(", ", sets), false);
    }
    String set = sets.get(0);
    if (!statusOfSet.get(set).equals(status)) {
      return found(id, "is in " + set + " but its status is " + status, false);
    }
    if ("WAITING".equals(status) && !set.equals(k.waiting(parseLevel(hash.get("pri"))))) {
      return found(id, "waits in " + set + " but its priority is " + hash.get("pri"), false);
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
      args.add(f.problem().contains("has no hash") ? "drop" : "reindex");
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
