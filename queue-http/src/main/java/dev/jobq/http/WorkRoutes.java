package dev.jobq.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import dev.jobq.spi.WorkerBroker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Workers in any language: claim jobs under a lease, then heartbeat, progress, complete, fail or
 * release each with the lease token the claim gave (fencing). A call whose token no longer holds
 * the job answers 409; one for a job cancelled while it ran answers 410.
 */
final class WorkRoutes {
  static final int MAX_CLAIM = 100;
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  static final Duration MIN_LEASE = Duration.ofSeconds(1);
  static final Duration MAX_LEASE = Duration.ofHours(1);
  static final Duration MAX_WAIT = Duration.ofSeconds(30);
  /** The retry delay of a fail without "retryIn" for a job that names no backoff. */
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(5);
  static final int MAX_PROGRESS_MESSAGE = 1000;
  /** How long stopping waits for the waiting claims to answer. */
  static final Duration STOP_GRACE = Duration.ofSeconds(1);
  private static final long MAX_COUNT = (1L << 53) - 1;

  private final WorkerBroker broker;
  private final int maxResultBytes;
  private final ClaimWaiter waiter;
  private final LeaseReaper reaper;

  WorkRoutes(WorkerBroker broker, int maxResultBytes) {
    this.broker = broker;
    this.maxResultBytes = maxResultBytes;
    this.waiter = new ClaimWaiter(broker);
    this.reaper = new LeaseReaper(broker);
  }

  /** Starts reaping the leases of vanished agents. */
  void start() {
    reaper.start();
  }

  /** Answers the waiting claims (waiting a second at most for them) and stops reaping. */
  void stop() {
    reaper.stop();
    try {
      waiter.stop(STOP_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many claims wait, and on how many queues: "24 on 1". */
  String waitingClaims() {
    return waiter.waiting();
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/queues/{q}/claim", this::claim, Role.WORK);
    routes.post("/v1/queues/{q}/jobs/{id}/heartbeat", this::heartbeat, Role.WORK);
    routes.post("/v1/queues/{q}/jobs/{id}/progress", this::progress, Role.WORK);
    routes.post("/v1/queues/{q}/jobs/{id}/complete", this::complete, Role.WORK);
    routes.post("/v1/queues/{q}/jobs/{id}/fail", this::fail, Role.WORK);
    routes.post("/v1/queues/{q}/jobs/{id}/release", this::release, Role.WORK);
    routes.post("/v1/queues/{q}/complete", this::completeBatch, Role.WORK);
  }

  private void claim(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("worker", "types", "max", "lease", "wait"));
    String worker = f.worker();
    Set<String> types = ClaimTypes.read(f);
    int max = (int) f.whole("max", 1, MAX_CLAIM, 1);
    Duration lease = f.duration("lease", MIN_LEASE, MAX_LEASE, DEFAULT_LEASE);
    Duration wait = f.duration("wait", Duration.ZERO, MAX_WAIT, Duration.ZERO);
    Claim claim = new Claim(queue, worker, types, max, lease);
    reaper.watch(queue);
    List<Map<String, Object>> jobs = wait.isZero() ? claimOnce(claim)
        : claimWaiting(claim, System.nanoTime() + wait.toNanos());
    JobRoutes.json(ctx, Map.of("jobs", jobs));
  }

  /** What a claim asked for, read and checked. */
  private record Claim(String queue, String worker, Set<String> types, int max, Duration lease) {}

  /**
   * Claims, and while nothing comes, waits for a wake-up and claims again, until the deadline;
   * claims once, as without a wait, when {@value ClaimWaiter#MAX_WAITERS} claims wait already.
   */
  private List<Map<String, Object>> claimWaiting(Claim claim, long deadlineNanos) {
    // joined before the first look, so that a wake-up between a look and the wait is not missed
    Optional<ClaimWaiter.Waiter> joined = waiter.join(claim.queue());
    if (joined.isEmpty()) {
      return claimOnce(claim);
    }
    List<Map<String, Object>> jobs = List.of();
    try (ClaimWaiter.Waiter waiting = joined.get()) {
      jobs = claimOnce(claim);
      // a wake-up is only a hint (another worker may take the job): claim again until the deadline
      while (jobs.isEmpty() && waiting.awaitWake(deadlineNanos)) {
        jobs = claimOnce(claim);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping: answer what was claimed
    }
    return jobs;
  }

  private List<Map<String, Object>> claimOnce(Claim c) {
    // read before claiming, so the deadline told is never later than the one Redis keeps
    Instant leaseDeadline = broker.now().plus(c.lease());
    return broker.claim(c.queue(), c.worker(), c.max(), c.lease(), c.types()).stream()
        .map(job -> Views.claimed(job, leaseDeadline)).toList();
  }

  private void heartbeat(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String id = jobId(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("worker", "token", "lease"));
    String worker = f.worker();
    long token = f.token();
    Duration lease = f.duration("lease", MIN_LEASE, MAX_LEASE, DEFAULT_LEASE);
    Instant leaseDeadline = broker.now().plus(lease);
    LeaseState state = broker.renewLeases(queue, worker, Map.of(id, token), lease).get(id);
    if (state == LeaseState.CANCELLED) {
      throw cancelled(id);
    }
    if (state != LeaseState.HELD) {
      throw new Problem(409, "lease-lost", "Lease lost", "token " + token + " no longer holds"
          + " job '" + id + "': its lease expired or it was claimed again; stop working on it");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("lease", "held");
    answer.put("leaseDeadline", leaseDeadline.toString());
    JobRoutes.json(ctx, answer);
  }

  private void progress(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String id = jobId(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("token", "done", "total", "message"));
    long token = f.token();
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("done", f.whole("done", 0, MAX_COUNT));
    progress.put("total", f.whole("total", 0, MAX_COUNT));
    String message = f.text("message", false);
    if (message != null && message.length() > MAX_PROGRESS_MESSAGE) {
      throw Problem.badRequest("\"message\" is " + message.length() + " characters: give at most "
          + MAX_PROGRESS_MESSAGE);
    }
    progress.put("message", message);
    if (!broker.progress(queue, id, token, Json.encode(progress))) {
      throw refused(queue, id, token);
    }
    JobRoutes.json(ctx, Map.of("progress", progress));
  }

  private void complete(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String id = jobId(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("token", "result"));
    long token = f.token();
    String result = f.has("result") && !f.node("result").isNull()
        ? checkedResult(f.node("result").toString()) : null;
    if (!broker.complete(queue, id, token, result)) {
      throw refused(queue, id, token);
    }
    JobRoutes.json(ctx, Map.of("status", "completed"));
  }

  /**
   * Completes up to {@value #MAX_CLAIM} leased jobs in one call (one script run, as the Java
   * worker's group commit): every entry is checked before any is completed, then each answers
   * its own outcome, "lease-lost" when its token no longer holds it (or it is gone).
   */
  private void completeBatch(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("worker", "jobs"));
    f.worker();
    JsonNode jobs = f.node("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty() || jobs.size() > MAX_CLAIM) {
      throw Problem.badRequest("\"jobs\" is " + (jobs == null ? "missing" : jobs.isArray()
          ? "an array of " + jobs.size()
          : "a JSON " + jobs.getNodeType().name().toLowerCase(Locale.ROOT))
          + ": give an array of 1 to " + MAX_CLAIM + " objects {id, token, result?}");
    }
    List<WorkerBroker.Completion> completions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      try {
        WorkFields job = f.element("jobs", i, Set.of("id", "token", "result"));
        String id = job.text("id", true);
        try {
          Names.checkJobId(id);
        } catch (InvalidJobException e) {
          throw Problem.badRequest("\"id\" '" + Names.printable(id) + "': " + e.getMessage());
        }
        if (!seen.add(id)) {
          throw Problem.badRequest("job '" + id + "' is named twice: give each job once");
        }
        String result = job.has("result") && !job.node("result").isNull()
            ? checkedResult(job.node("result").toString()) : null;
        completions.add(new WorkerBroker.Completion(id, job.token(), result));
      } catch (Problem p) {
        throw new Problem(p.status, p.slug, p.title, "jobs [" + i + "]: " + p.getMessage()
            + "; nothing was completed");
      }
    }
    List<Boolean> accepted = broker.completeAll(queue, completions);
    List<Map<String, Object>> answers = new ArrayList<>(completions.size());
    for (int i = 0; i < completions.size(); i++) {
      String id = completions.get(i).id();
      String outcome = accepted.get(i) ? "completed"
          : broker.get(queue, id).map(Job::status).orElse(null) == JobStatus.CANCELLED
              ? "cancelled" : "lease-lost";
      answers.add(Map.of("id", id, "outcome", outcome));
    }
    JobRoutes.json(ctx, Map.of("jobs", answers));
  }

  private void fail(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String id = jobId(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("token", "error", "retryIn"));
    long token = f.token();
    Failure failure = failure(f.object("error", Set.of("class", "message", "stack")));
    Duration retryIn = f.has("retryIn") && f.node("retryIn").isNull() ? null
        : f.duration("retryIn", Duration.ZERO, Backoff.MAX_DELAY, null);
    if (!f.has("retryIn")) {
      retryIn = ownBackoff(queue, id);
    }
    FailOutcome outcome = broker.fail(queue, id, token, failure, retryIn);
    if (outcome == FailOutcome.STALE) {
      throw refused(queue, id, token);
    }
    JobRoutes.json(ctx, Map.of("outcome", outcome.name().toLowerCase(Locale.ROOT)));
  }

  private void release(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String id = jobId(ctx);
    long token = WorkFields.read(ctx.body(), Set.of("token")).token();
    if (!broker.release(queue, id, token)) {
      throw refused(queue, id, token);
    }
    JobRoutes.json(ctx, Map.of("status", "waiting"));
  }

  /** The delay the job's own backoff gives after this attempt, or 5 s when it names none. */
  private Duration ownBackoff(String queue, String id) {
    Optional<Job> job = broker.get(queue, id);
    if (job.isEmpty() || job.get().backoff() == null) {
      return DEFAULT_RETRY;
    }
    return job.get().backoff().delayAfter(Math.max(1, job.get().attempt()),
        ThreadLocalRandom.current());
  }

  private static Failure failure(WorkFields error) {
    String errorClass = error.text("class", true);
    if (errorClass.isBlank() || errorClass.length() > Names.MAX_TYPE_LENGTH) {
      throw Problem.badRequest("\"error\".\"class\" is '" + Names.printable(errorClass)
          + "': give the error's kind, 1 to " + Names.MAX_TYPE_LENGTH + " characters, such as"
          + " TimeoutError");
    }
    String message = error.text("message", true);
    String stack = error.text("stack", false);
    // trimmed as a Java worker's are: the top of a trace is the useful part
    return new Failure(errorClass, cut(message, Failure.MAX_MESSAGE_CHARS),
        cut(stack == null ? "" : stack, Failure.MAX_STACK_CHARS));
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "\n\t… (trimmed)";
  }

  private String checkedResult(String json) {
    try {
      return Json.checkPayload(json, maxResultBytes);
    } catch (InvalidJobException e) {
      throw Problem.tooLarge("\"result\": " + e.getMessage());
    }
  }

  /** Why a call with this token was refused: the job is gone, was cancelled, or is not ours. */
  private Problem refused(String queue, String id, long token) {
    Optional<Job> job = broker.get(queue, id);
    if (job.isEmpty()) {
      return Problem.notFound("job-not-found", "no job '" + id + "' in queue '" + queue
          + "': it never existed or was removed after it finished");
    }
    if (job.get().status() == JobStatus.CANCELLED) {
      return cancelled(id);
    }
    return new Problem(409, "stale-token", "Lease not held", "token " + token + " no longer"
        + " holds job '" + id + "' (now " + job.get().status().name().toLowerCase()
        + "): the lease is no longer the caller's, as it expired or the job was claimed again;"
        + " drop the job, its outcome was not recorded");
  }

  private static Problem cancelled(String id) {
    return new Problem(410, "job-cancelled", "Job cancelled", "job '" + id + "' was cancelled"
        + " while it ran: stop working on it; its outcome is not recorded");
  }

  private static String jobId(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      return Names.checkJobId(id);
    } catch (InvalidJobException e) {
      throw Problem.badRequest("job id '" + Names.printable(id) + "': " + e.getMessage());
    }
  }
}
