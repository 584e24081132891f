package dev.jobq.http;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.InvalidJobException;
import dev.jobq.JobNotFoundException;
import dev.jobq.QueueFullException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every exception a route may throw to its problem answer. */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static void register(RoutesConfig routes) {
    routes.exception(Problem.class, (e, ctx) -> e.write(ctx));
    routes.exception(InvalidJobException.class, (e, ctx) ->
        Problem.write(ctx, 400, "invalid-job", "Invalid job", e.getMessage()));
    routes.exception(QueueFullException.class, (e, ctx) ->
        Problem.write(ctx, 429, "queue-full", "Queue full", e.getMessage()));
    routes.exception(JobNotFoundException.class, (e, ctx) ->
        Problem.write(ctx, 404, "job-not-found", "Not found", e.getMessage()));
    routes.exception(BrokerUnavailableException.class, (e, ctx) ->
        Problem.write(ctx, 503, "broker-unavailable", "Broker unavailable",
            e.getMessage() + "; try again once Redis is reachable"));
    routes.exception(HttpResponseException.class, (e, ctx) ->
        Problem.write(ctx, e.getStatus(), "http-" + e.getStatus(), "Request refused",
            e.getStatus() == 404 ? e.getMessage() + ": the API's routes are under /v1"
                : e.getMessage()));
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
      Problem.write(ctx, 500, "internal", "Internal error",
          "the server failed to answer (" + e.getClass().getSimpleName() + "); see its log");
    });
  }
}
