package dev.jobq.http;

import dev.jobq.spi.Broker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/health} for orchestrators and load balancers: 200 while Redis answers, 503 (the
 * broker-unavailable problem) while it does not. It pings Redis on every call, so a probe should
 * come every few seconds, not in a tight loop.
 */
final class HealthRoutes {
  /** The jar's version when run from jobq.jar; classes outside a jar have none. */
  private static final String VERSION = version();

  private final Broker broker;

  HealthRoutes(Broker broker) {
    this.broker = broker;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/health", this::health, Role.PUBLIC);
  }

  private void health(Context ctx) {
    broker.ping(); // BrokerUnavailableException: Errors answers 503
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "up");
    body.put("redis", "up");
    body.put("redisTime", broker.now().toString());
    body.put("version", VERSION);
    JobRoutes.json(ctx, body);
  }

  private static String version() {
    String v = HealthRoutes.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
