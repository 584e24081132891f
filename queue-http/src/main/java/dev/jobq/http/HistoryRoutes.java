package dev.jobq.http;

import dev.jobq.QueueHistory;
import dev.jobq.internal.Names;
import dev.jobq.spi.ClientBroker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/queues/{q}/history?range=1h|24h}: a queue's completions and failed attempts per
 * minute over the last hour, or per ten minutes over the last day, for the dashboard's charts.
 */
final class HistoryRoutes {
  private static final Map<String, Duration> RANGES = Map.of(
      "1h", Duration.ofHours(1), "24h", Duration.ofHours(24));

  private final ClientBroker broker;

  HistoryRoutes(ClientBroker broker) {
    this.broker = broker;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/queues/{q}/history", this::history, Role.READ);
  }

  private void history(Context ctx) {
    String range = ctx.queryParam("range");
    if (range == null || range.isEmpty()) {
      range = "1h";
    }
    Duration span = RANGES.get(range);
    if (span == null) {
      throw Problem.badRequest("\"range\" is '" + Names.printable(range)
          + "': give 1h (per minute) or 24h (per ten minutes)");
    }
    QueueHistory h = broker.history(QueueRoutes.known(ctx, broker), span);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("queue", h.queue());
    body.put("range", range);
    body.put("stepMs", h.step().toMillis());
    body.put("points", h.points().stream().map(p -> Map.of(
        "at", p.at().toString(), "completed", p.completed(), "failed", p.failed())).toList());
    JobRoutes.json(ctx, body);
  }
}
