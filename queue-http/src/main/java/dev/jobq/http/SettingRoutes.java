package dev.jobq.http;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.Limit;
import dev.jobq.Schedule;
import dev.jobq.internal.Names;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A queue's settings, read and written: its maximum depth, its limits and its recurring jobs
 * (schedules), as {@code jobq limits} and {@code jobq schedule} handle them. A write may name a
 * queue that has no jobs yet (it is configured before its first job, as with the CLI); a read or
 * a removal needs the queue or the setting to exist (404).
 */
final class SettingRoutes {
  /** The path's type that names the queue's own limit: no job type starts with '_'. */
  static final String QUEUE_SCOPE = "_queue";
  private static final long MAX_COUNT = (1L << 53) - 1;
  private static final Duration MAX_PER = Duration.ofDays(365);

  private final JobClient client;
  private final ScheduleBodies schedules;

  SettingRoutes(JobClient client, int maxPayloadBytes) {
    this.client = client;
    this.schedules = new ScheduleBodies(maxPayloadBytes);
  }

  void register(RoutesConfig routes) {
    routes.put("/v1/queues/{q}/max-depth", this::setMaxDepth, Role.ADMIN);
    routes.get("/v1/queues/{q}/limits", this::limits, Role.READ);
    routes.put("/v1/queues/{q}/limits/{type}", this::setLimit, Role.ADMIN);
    routes.delete("/v1/queues/{q}/limits/{type}", this::removeLimit, Role.ADMIN);
    routes.get("/v1/schedules", this::allSchedules, Role.READ);
    routes.put("/v1/queues/{q}/schedules/{name}", this::putSchedule, Role.ADMIN);
    routes.delete("/v1/queues/{q}/schedules/{name}", this::removeSchedule, Role.ADMIN);
    routes.post("/v1/queues/{q}/schedules/{name}/trigger", this::trigger, Role.ADMIN);
  }

  private void setMaxDepth(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    long maxDepth = WorkFields.read(ctx.body(), Set.of("maxDepth")).whole("maxDepth", 0, MAX_COUNT);
    client.setMaxDepth(queue, maxDepth);
    JobRoutes.json(ctx, Map.of("queue", queue, "maxDepth", maxDepth));
  }

  private void limits(Context ctx) {
    String queue = QueueRoutes.known(ctx, client.broker());
    List<Map<String, Object>> limits = client.limits(queue).stream()
        .map(l -> OperatorViews.limit(queue, l)).toList();
    JobRoutes.json(ctx, Map.of("queue", queue, "limits", limits));
  }

  private void setLimit(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String type = limitType(ctx);
    WorkFields f = WorkFields.read(ctx.body(), Set.of("maxRunning", "maxStarted", "per"));
    int running = (int) f.whole("maxRunning", 0, Integer.MAX_VALUE, 0);
    int started = (int) f.whole("maxStarted", 0, Integer.MAX_VALUE, 0);
    Duration per = f.duration("per", Duration.ofMillis(1), MAX_PER, null);
    if (running == 0 && started == 0) {
      throw Problem.badRequest("the limit sets nothing: give \"maxRunning\" (jobs running at"
          + " once), \"maxStarted\" with \"per\" (jobs started per interval, such as 100 per"
          + " \"1m\"), or both; DELETE the limit to lift it");
    }
    if ((started > 0) != (per != null)) {
      throw Problem.badRequest("\"maxStarted\" and \"per\" go together: give both, such as"
          + " \"maxStarted\": 100, \"per\": \"1m\", or neither");
    }
    Limit limit = new Limit(type, running, started, per);
    client.setLimit(queue, limit);
    JobRoutes.json(ctx, OperatorViews.limit(queue, limit));
  }

  private void removeLimit(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String type = limitType(ctx);
    if (!client.removeLimit(queue, type)) {
      throw Problem.notFound("limit-not-found", "queue '" + queue + "' has no limit "
          + (type == null ? "of its own" : "for type '" + type + "'") + ": GET /v1/queues/"
          + queue + "/limits lists its limits");
    }
    JobRoutes.json(ctx, Map.of("queue", queue, "type", type == null ? QUEUE_SCOPE : type,
        "removed", true));
  }

  private void allSchedules(Context ctx) {
    JobRoutes.json(ctx, Map.of("schedules",
        client.schedules().stream().map(OperatorViews::schedule).toList()));
  }

  private void putSchedule(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String name = ctx.pathParam("name");
    Schedule schedule = schedules.read(queue, name, ctx.body());
    client.addSchedule(schedule);
    // removed meanwhile: answer what was set
    Schedule.Planned planned = client.broker().schedules(queue).stream()
        .filter(p -> p.schedule().name().equals(name)).findFirst()
        .orElse(new Schedule.Planned(schedule, null, null));
    JobRoutes.json(ctx, OperatorViews.schedule(planned));
  }

  private void removeSchedule(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String name = ctx.pathParam("name");
    if (!client.removeSchedule(queue, name)) {
      throw Problem.notFound("schedule-not-found", "no schedule '" + Names.printable(name)
          + "' in queue '" + queue + "': GET /v1/schedules lists them");
    }
    JobRoutes.json(ctx, Map.of("queue", queue, "name", name, "removed", true));
  }

  /**
   * The schedule's job enqueued now, named as a tick at this instant, and recorded as its last
   * tick: its next ticks stay.
   */
  private void trigger(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    String name = ctx.pathParam("name");
    EnqueueResult r = client.triggerSchedule(queue, name)
        .orElseThrow(() -> Problem.notFound("schedule-not-found", "no schedule '"
            + Names.printable(name) + "' in queue '" + queue + "': GET /v1/schedules lists them"));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("name", name);
    answer.put("id", r.jobId());
    answer.put("created", r.created());
    ctx.status(r.created() ? 201 : 200);
    JobRoutes.json(ctx, answer);
  }

  /** The path's job type; null for {@link #QUEUE_SCOPE}, the queue's own limit. */
  private static String limitType(Context ctx) {
    String type = ctx.pathParam("type");
    if (type.equals(QUEUE_SCOPE)) {
      return null;
    }
    try {
      return Names.checkType(type);
    } catch (InvalidJobException e) {
      throw Problem.badRequest("type '" + Names.printable(type) + "' in the path: "
          + e.getMessage() + "; or " + QUEUE_SCOPE + " for the queue's own limit");
    }
  }
}
