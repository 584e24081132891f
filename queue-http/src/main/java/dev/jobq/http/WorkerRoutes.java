package dev.jobq.http;

import dev.jobq.JobClient;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerControl.State;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live workers, and orders for one of them, as {@code jobq workers} and its quiet, resume,
 * stop and concurrency subcommands give them. A worker follows its orders at its next heartbeat.
 */
final class WorkerRoutes {
  /** The most jobs at once that WorkerControl accepts. */
  static final int MAX_CONCURRENCY = 10_000;

  private final JobClient client;

  WorkerRoutes(JobClient client) {
    this.client = client;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/workers", this::list, Role.READ);
    routes.post("/v1/workers/{id}/control", this::control, Role.ADMIN);
  }

  private void list(Context ctx) {
    Instant now = client.broker().now();
    JobRoutes.json(ctx, Map.of("workers", client.workers().stream()
        .map(w -> OperatorViews.worker(w, now)).toList()));
  }

  private void control(Context ctx) {
    String id = ctx.pathParam("id");
    WorkerControl orders = orders(WorkFields.read(ctx.body(),
        Set.of("quiet", "stop", "concurrency")));
    if (!client.broker().controlWorker(id, orders)) {
      throw Problem.notFound("worker-not-found", "no live worker '" + id + "': its heartbeat"
          + " expired or it never ran; GET /v1/workers lists the live ones");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    answer.put("state", orders.state() == null ? null : AdminRoutes.lower(orders.state()));
    answer.put("concurrency", orders.concurrency());
    JobRoutes.json(ctx, answer);
  }

  /**
   * {@code quiet: true} claims nothing more, {@code quiet: false} claims again, {@code stop:
   * true} shuts down gracefully; {@code concurrency} alone or with quiet.
   */
  private static WorkerControl orders(WorkFields f) {
    boolean stop = f.has("stop") && AdminRoutes.flag(f, "stop");
    if (f.has("stop") && !stop) {
      throw Problem.badRequest("\"stop\" is false: a stop cannot be taken back; send"
          + " \"stop\": true to stop the worker, or leave the field out");
    }
    if (stop && f.has("quiet")) {
      throw Problem.badRequest("give \"quiet\" or \"stop\", not both: a stopping worker claims"
          + " nothing more anyway");
    }
    State state = stop ? State.STOP
        : f.has("quiet") ? (AdminRoutes.flag(f, "quiet") ? State.QUIET : State.RUN) : null;
    Integer concurrency = f.has("concurrency")
        ? (int) f.whole("concurrency", 1, MAX_CONCURRENCY) : null;
    if (state == null && concurrency == null) {
      throw Problem.badRequest("the body gives no orders: send \"quiet\": true (claim nothing"
          + " more), \"quiet\": false (claim again), \"stop\": true (shut down gracefully) or"
          + " \"concurrency\": N (1 to " + MAX_CONCURRENCY + ")");
    }
    return new WorkerControl(state, concurrency);
  }
}
