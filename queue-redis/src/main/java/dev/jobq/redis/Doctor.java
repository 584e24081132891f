package dev.jobq.redis;

import dev.jobq.JobStatus;
import dev.jobq.redis.DoctorReport.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
  /** Repairs per script call: a drop from a wait list scans it, so calls stay short. */
  private static final int REPAIRS_PER_CALL = 500;
  private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");
  private static final String NO_ERRORS = "is failed without its error in short (failed_errors)";
  /**
   * A last firing of a schedule the queue no longer has: left by a jobq before schedule_last
   * that removed the schedule, since only this version's removal deletes the field too.
   */
  private static final String FORGET = "has a last firing (schedule_last) but no schedule;"
      + " a jobq older than schedule_last removed it";

  /** What is wrong with one job; action is repair.lua's, null when no repair is safe. */
  private record Problem(String id, String text, String action, List<String> where) {}

  /** How many ids one look at a queue saw, and what is wrong. */
  private record Exam(long checked, List<Problem> problems) {}

  private final Queues queues;
  private final Connections redis;
  private final LayoutUpgrade upgrade;

  Doctor(Queues queues, LayoutUpgrade upgrade) {
    this.queues = queues;
    this.redis = queues.redis;
    this.upgrade = upgrade;
  }

  DoctorReport examine(String queue, boolean repair) {
    // not queues.keys(queue): that refuses a queue of an earlier layout, which this one moves
    Keys k = new Keys(queues.config.prefix(), queue);
    if (!upgrade.isEarlier(k)) {
      Exam exam = inspect(k);
      return report(queue, exam.checked(), exam.problems(),
          repair ? repairAll(queue, exam.problems()) : Set.of(), List.of());
    }
    String earlier = "queue " + queue + " is in the layout of jobq before 0.2 (a hash per job)";
    if (!repair) {
      return new DoctorReport(queue, 0, List.of(new Finding(null, earlier
          + "; --repair moves it to this one (stop the workers of that version first)", true,
          false)));
    }
    LayoutUpgrade.Moved moved = upgrade.run(k);
    Exam exam = inspect(k);
    // The earlier layout let a finished job's hash expire before its index entry went: such
    // entries are dropped here and counted, not listed one by one.
    Map<Boolean, List<Problem>> expired = exam.problems().stream().collect(Collectors
        .partitioningBy(p -> "drop".equals(p.action()) && FINISHED.containsAll(p.where())));
    Set<Problem> repaired = repairAll(queue, exam.problems());
    int forgotten = expired.get(true).size();
    return report(queue, exam.checked() - forgotten, expired.get(false), repaired, List.of(
        new Finding(null, earlier + ": moved " + moved.jobs() + " jobs, " + moved.waiting()
            + " of them waiting, to this one, and forgot " + forgotten + " ids of finished jobs"
            + " whose hashes had expired", true, true)));
  }

  private static DoctorReport report(String queue, long checked, List<Problem> problems,
      Set<Problem> repaired, List<Finding> first) {
    List<Finding> findings = new ArrayList<>(first);
    List<String> noErrors = new ArrayList<>();
    for (Problem p : problems) {
      if (p.text().equals(NO_ERRORS)) {
        noErrors.add(p.id());
      } else if (p.text().equals(FORGET)) {
        findings.add(new Finding(null, "schedule '" + p.id() + "' " + FORGET, true,
            repaired.contains(p)));
      } else {
        findings.add(new Finding(p.id(), "job " + p.id() + " " + p.text(), p.action() != null,
            repaired.contains(p)));
      }
    }
    if (!noErrors.isEmpty()) {
      findings.add(noErrors(noErrors, problems.stream()
          .filter(p -> p.text().equals(NO_ERRORS)).allMatch(repaired::contains)));
    }
    return new DoctorReport(queue, checked, findings);
  }

  /**
   * One finding for every failed job without its error in short: after an upgrade from a
   * version that kept none, that is every job failed before it, and not a line each.
   */
  private static Finding noErrors(List<String> ids, boolean repaired) {
    String some = String.join(", ", ids.subList(0, Math.min(5, ids.size())))
        + (ids.size() > 5 ? ", …" : "");
    boolean one = ids.size() == 1;
    String jobs = one ? " failed job (" + some + ") has" : " failed jobs (" + some + ") have";
    return new Finding(one ? ids.get(0) : null, ids.size() + jobs + " no error in short"
        + " (failed_errors): failed before jobq kept it, the dead-letter groups read "
        + (one ? "it" : "them") + " whole; --repair writes it", true, repaired);
  }

  private Exam inspect(Keys k) {
    Map<String, String> statusOfSet = setsOf(k);
    Map<String, List<String>> where = new HashMap<>();
    Map<String, Map<String, String>> jobs = new HashMap<>();
    Map<String, String> errors = new HashMap<>();
    Set<String> lastNames = new TreeSet<>();
    Set<String> scheduleNames = new HashSet<>();
    redis.call(k.base, j -> {
      for (String set : statusOfSet.keySet()) {
        List<String> ids = statusOfSet.get(set).equals(JobStatus.WAITING.name())
            ? j.lrange(set, 0, -1) : j.zrange(set, 0, -1);
        for (String id : ids) {
          where.computeIfAbsent(id, x -> new ArrayList<>()).add(set.substring(k.base.length()));
        }
      }
      jobs.putAll(scanJobs(j, k));
      errors.putAll(j.hgetAll(k.failedErrors()));
      lastNames.addAll(j.hkeys(k.scheduleLast()));
      scheduleNames.addAll(j.hkeys(k.schedules()));
      return null;
    });
    Set<String> ids = union(where.keySet(), jobs.keySet());
    List<Problem> problems = new ArrayList<>();
    for (String id : ids) {
      checkJob(id, where.getOrDefault(id, List.of()), jobs.getOrDefault(id, Map.of()),
          statusOfSet, k).ifPresent(problems::add);
    }
    // a drop takes the id's error in short with it: no unerror besides, which would find none
    Set<String> dropped = problems.stream().filter(p -> "drop".equals(p.action()))
        .map(Problem::id).collect(Collectors.toSet());
    problems.addAll(checkErrors(jobs, errors, where, dropped));
    lastNames.stream().filter(name -> !scheduleNames.contains(name))
        .forEach(name -> problems.add(new Problem(name, FORGET, "forget", List.of())));
    return new Exam(ids.size(), problems);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Each list or set of the queue, by key, to the status its jobs have. */
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

  /** Every job's status and priority, or, for a value that cannot be read, why. */
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
      if ("FAILED".equals(f.get("status"))) {
        m.put("errors", FailedErrors.of(f));
      }
    } catch (RuntimeException e) {
      m.put("unreadable", e.getMessage());
    }
    return m;
  }

  private static Optional<Problem> checkJob(String id, List<String> where,
      Map<String, String> job, Map<String, String> statusOfSet, Keys k) {
    if (job.isEmpty()) {
      return problem(id, "is in " + String.join(", ", where) + " but has no job", "drop", where);
    }
    if (job.containsKey("unreadable")) {
      return problem(id, "cannot be read (" + job.get("unreadable") + "); it is in "
          + (where.isEmpty() ? "no list or set" : String.join(", ", where)), null, where);
    }
    String status = job.get("status");
    if (where.isEmpty()) {
      return problem(id, "has a job (status " + status + ") but is in no list or set"
          + ("ACTIVE".equals(status) ? ": an active job without a lease" : ""), "reindex", where);
    }
    if (cancelledWhileRunning(status, where)) {
      return Optional.empty();
    }
    if (where.size() > 1) {
      return problem(id, "is in several lists or sets: " + String.join(", ", where), null, where);
    }
    String set = k.base + where.get(0);
    if (!statusOfSet.get(set).equals(status)) {
      return problem(id, "is in " + where.get(0) + " but its status is " + status, null, where);
    }
    if ("WAITING".equals(status) && !set.equals(k.waiting(parseLevel(job.get("pri"))))) {
      return problem(id, "waits in " + where.get(0) + " but its priority is " + job.get("pri"),
          null, where);
    }
    return Optional.empty();
  }

  /**
   * Each failed job's error in short (failed_errors, kept by the scripts for the dead-letter
   * groups) against the job: one missing (a job failed before they were kept, read whole
   * meanwhile) or wrong is written anew, one of an id that is not a failed job dropped (unless
   * the id is dropped whole).
   */
  private static List<Problem> checkErrors(Map<String, Map<String, String>> jobs,
      Map<String, String> errors, Map<String, List<String>> where, Set<String> dropped) {
    List<Problem> problems = new ArrayList<>();
    new TreeMap<>(jobs).forEach((id, job) -> {
      String expected = job.get("errors");
      if (expected != null && !expected.equals(errors.get(id))) {
        problems.add(new Problem(id, errors.containsKey(id)
            ? "has an error in short (failed_errors) that disagrees with the job" : NO_ERRORS,
            "errors", List.of()));
      }
    });
    errors.keySet().stream().filter(id -> !jobs.getOrDefault(id, Map.of()).containsKey("errors"))
        .filter(id -> !dropped.contains(id)).sorted()
        .forEach(id -> problems.add(new Problem(id, "has an error in short"
            + " (failed_errors) but is not a failed job", "unerror", where.getOrDefault(id,
            List.of()))));
    return problems;
  }

  /**
   * The one job in two sets: cancelled while it ran, it keeps its lease in active (and its slot
   * under a running limit) until its worker reports or the lease passes (cancel.lua).
   */
  private static boolean cancelledWhileRunning(String status, List<String> where) {
    return "CANCELLED".equals(status) && where.size() == 2 && where.contains("active")
        && where.contains("cancelled");
  }

  private static int parseLevel(String pri) {
    try {
      return Integer.parseInt(pri);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Optional<Problem> problem(String id, String text, String action,
      List<String> where) {
    return Optional.of(new Problem(id, text, action, where));
  }

  /** The problems repair.lua fixed (it re-checks each), in batches. */
  private Set<Problem> repairAll(String queue, List<Problem> problems) {
    List<Problem> repairable = problems.stream().filter(p -> p.action() != null).toList();
    Set<Problem> repaired = new HashSet<>();
    for (int from = 0; from < repairable.size(); from += REPAIRS_PER_CALL) {
      List<Problem> batch =
          repairable.subList(from, Math.min(repairable.size(), from + REPAIRS_PER_CALL));
      List<String> args = new ArrayList<>();
      for (Problem p : batch) {
        args.addAll(List.of(p.action(), p.id(), String.join(",", p.where())));
      }
      List<?> done = (List<?>) queues.run(Script.REPAIR, queue, args);
      for (int i = 0; i < batch.size(); i++) {
        if ((Long) done.get(i) == 1) {
          repaired.add(batch.get(i));
        }
      }
    }
    return repaired;
  }
}
