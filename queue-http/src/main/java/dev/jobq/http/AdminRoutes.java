package dev.jobq.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.CancelOutcome;
import dev.jobq.ClearResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobActionOutcome;
import dev.jobq.JobClient;
import dev.jobq.JobStatus;
import dev.jobq.internal.Names;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Operators' actions on jobs and queues, as the CLI's cancel, retry-failed, pause, resume, clear
 * and purge do them, and the dashboard's delete and run now of one job. Every body is checked
 * before the broker is called, so a refusal writes nothing; a queue action on a queue that does
 * not exist answers 404.
 */
final class AdminRoutes {
  /** The longest purge age: ten years, far past any retention. */
  static final Duration MAX_PURGE_AGE = Duration.ofDays(3650);

  private final JobClient client;

  AdminRoutes(JobClient client) {
    this.client = client;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/jobs/{id}/cancel", this::cancelJob, Role.ADMIN);
    routes.post("/v1/jobs/{id}/retry", this::retryJob, Role.ADMIN);
    routes.delete("/v1/jobs/{id}", this::deleteJob, Role.ADMIN);
    routes.post("/v1/jobs/{id}/run-now", this::runNow, Role.ADMIN);
    routes.post("/v1/queues/{q}/cancel", this::cancel, Role.ADMIN);
    routes.post("/v1/queues/{q}/retry", this::retry, Role.ADMIN);
    routes.post("/v1/queues/{q}/pause", ctx -> pause(ctx, true), Role.ADMIN);
    routes.post("/v1/queues/{q}/resume", ctx -> pause(ctx, false), Role.ADMIN);
    routes.post("/v1/queues/{q}/clear", this::clear, Role.ADMIN);
    routes.post("/v1/queues/{q}/purge", this::purge, Role.ADMIN);
  }

  private void cancelJob(Context ctx) {
    Job job = requireJob(ctx);
    CancelOutcome outcome = client.cancel(job.queue(), job.id()).get(job.id());
    if (outcome == CancelOutcome.NOT_FOUND) {
      throw JobRoutes.noJob(job.id()); // removed between the read and the cancel
    }
    JobRoutes.json(ctx, OperatorViews.cancelled(job.id(), job.queue(), outcome));
  }

  private void retryJob(Context ctx) {
    Job job = requireJob(ctx);
    if (job.status() != JobStatus.FAILED
        || client.retryFailed(job.queue(), List.of(job.id())) == 0) {
      Job now = client.get(job.queue(), job.id()).orElseThrow(() -> JobRoutes.noJob(job.id()));
      throw new Problem(409, "job-not-failed", "Job not failed", "job '" + job.id() + "' is "
          + lower(now.status()) + ", not failed: only a failed (dead-lettered) job can be"
          + " retried; nothing was changed");
    }
    JobRoutes.json(ctx, action(job, "status", "waiting"));
  }

  private void deleteJob(Context ctx) {
    Job job = requireJob(ctx);
    JobActionOutcome outcome = client.delete(job.queue(), job.id());
    if (outcome == JobActionOutcome.NOT_FOUND) {
      throw JobRoutes.noJob(job.id());
    }
    if (outcome == JobActionOutcome.WRONG_STATUS) {
      throw new Problem(409, "job-active", "Job active", "job '" + job.id() + "' is still"
          + " running: cancel it first (POST /v1/jobs/" + job.id() + "/cancel); if it is"
          + " cancelled already, wait for its handler to stop; then delete it; nothing was"
          + " changed");
    }
    JobRoutes.json(ctx, action(job, "deleted", true));
  }

  private void runNow(Context ctx) {
    Job job = requireJob(ctx);
    JobActionOutcome outcome = client.runNow(job.queue(), job.id());
    if (outcome == JobActionOutcome.NOT_FOUND) {
      throw JobRoutes.noJob(job.id());
    }
    if (outcome == JobActionOutcome.WRONG_STATUS) {
      // the status read by requireJob, a moment ago: no third call to Redis for the message
      throw new Problem(409, "job-not-delayed", "Job not delayed", "job '" + job.id() + "' is "
          + lower(job.status()) + ", not delayed: only a delayed job (scheduled for later or"
          + " waiting for a retry) can be run now; nothing was changed");
    }
    JobRoutes.json(ctx, action(job, "status", "waiting"));
  }

  private static Map<String, Object> action(Job job, String field, Object value) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", job.id());
    answer.put("queue", job.queue());
    answer.put(field, value);
    return answer;
  }

  private void cancel(Context ctx) {
    String queue = QueueRoutes.known(ctx, client.broker());
    List<String> ids = ids(WorkFields.read(ctx.body(), Set.of("ids")));
    Map<String, CancelOutcome> outcomes = client.cancel(queue, ids);
    List<Map<String, Object>> results = new ArrayList<>();
    for (String id : ids) {
      results.add(OperatorViews.cancelled(id, queue,
          outcomes.getOrDefault(id, CancelOutcome.NOT_FOUND)));
    }
    JobRoutes.json(ctx, Map.of("results", results));
  }

  private void retry(Context ctx) {
    String queue = QueueRoutes.known(ctx, client.broker());
    WorkFields f = WorkFields.read(ctx.body(), Set.of("ids", "all"));
    boolean all = f.has("all") && flag(f, "all");
    if (all == f.has("ids")) {
      throw Problem.badRequest("give either \"ids\": [\"…\"] (these failed jobs) or \"all\": true"
          + " (every failed job of queue '" + queue + "'), not both and not neither");
    }
    List<String> ids = all ? null : ids(f);
    long retried = all ? client.retryAllFailed(queue) : client.retryFailed(queue, ids);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("requested", ids == null ? null : ids.size());
    answer.put("retried", retried);
    JobRoutes.json(ctx, answer);
  }

  private void pause(Context ctx, boolean pause) {
    String queue = QueueRoutes.known(ctx, client.broker());
    boolean was = client.stats(queue).paused();
    if (pause) {
      client.pause(queue);
    } else {
      client.resume(queue);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("paused", pause);
    answer.put("changed", was != pause);
    JobRoutes.json(ctx, answer);
  }

  private void clear(Context ctx) {
    String queue = QueueRoutes.known(ctx, client.broker());
    WorkFields f = WorkFields.read(ctx.body(), Set.of("confirm", "includeFailed", "dryRun"));
    boolean dryRun = f.has("dryRun") && flag(f, "dryRun");
    boolean includeFailed = f.has("includeFailed") && flag(f, "includeFailed");
    String confirm = f.has("confirm") ? f.text("confirm", true) : null;
    if (dryRun ? confirm != null && !confirm.equals(queue) : !queue.equals(confirm)) {
      throw Problem.badRequest("\"confirm\" is " + (confirm == null ? "missing"
          : "'" + Names.printable(confirm) + "'") + ": send \"confirm\": \"" + queue + "\" (the"
          + " queue's name) to delete its waiting, delayed and blocked jobs, or \"dryRun\": true"
          + " to see what would be deleted; nothing was deleted");
    }
    ClearResult r = dryRun ? client.previewClear(queue, includeFailed)
        : client.clear(queue, includeFailed);
    JobRoutes.json(ctx, OperatorViews.cleared(queue, dryRun, includeFailed, r));
  }

  private void purge(Context ctx) {
    String queue = QueueRoutes.known(ctx, client.broker());
    WorkFields f = WorkFields.read(ctx.body(), Set.of("olderThan"));
    if (!f.has("olderThan")) {
      throw Problem.badRequest("\"olderThan\" is missing: give the age past which finished jobs"
          + " are deleted, such as \"24h\" or \"7d\"");
    }
    Duration age = f.duration("olderThan", Duration.ZERO, MAX_PURGE_AGE, Duration.ofDays(1));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("olderThanMs", age.toMillis());
    answer.put("deleted", client.purge(queue, age));
    JobRoutes.json(ctx, answer);
  }

  /** The path's job, found in whichever queue holds it; 404 when none does. */
  private Job requireJob(Context ctx) {
    String id = JobRoutes.jobId(ctx);
    return client.find(id).orElseThrow(() -> JobRoutes.noJob(id));
  }

  /** Field "ids": 1 to {@link JobClient#MAX_BATCH} job ids, each checked, repeats dropped. */
  static List<String> ids(WorkFields f) {
    JsonNode v = f.node("ids");
    if (v == null || !v.isArray() || v.isEmpty() || v.size() > JobClient.MAX_BATCH) {
      throw Problem.badRequest("\"ids\" is " + (v == null ? "missing" : abbreviated(v))
          + ": give an array of 1 to " + JobClient.MAX_BATCH + " job ids, such as [\"j1\",\"j2\"]");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode id = v.get(i);
      if (!id.isTextual()) {
        throw Problem.badRequest("\"ids\"[" + i + "] is " + abbreviated(id) + ": give a job id"
            + " as a string");
      }
      try {
        ids.add(Names.checkJobId(id.asText()));
      } catch (InvalidJobException e) {
        throw Problem.badRequest("\"ids\"[" + i + "]: " + e.getMessage());
      }
    }
    return List.copyOf(ids);
  }

  /** A boolean field, which must be true or false when present. */
  static boolean flag(WorkFields f, String name) {
    JsonNode v = f.node(name);
    if (!v.isBoolean()) {
      throw Problem.badRequest("\"" + name + "\" is " + abbreviated(v) + ": give true or false");
    }
    return v.asBoolean();
  }

  static String abbreviated(JsonNode v) {
    String text = v.toString();
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
