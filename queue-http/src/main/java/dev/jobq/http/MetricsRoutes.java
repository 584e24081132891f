package dev.jobq.http;

import dev.jobq.spi.ClientBroker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics} for Prometheus: every queue's figures from Redis ({@link QueueMeters}) in
 * the Prometheus text format 0.0.4, written by Micrometer's Prometheus registry. It is outside
 * {@code /v1} because scrapers look for {@code /metrics}. Its role is the settings' choice:
 * public by default, since scrapers usually send no token (see queue-http's README).
 */
final class MetricsRoutes {
  /** The Prometheus text format 0.0.4, which every Prometheus reads; the registry writes it. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final QueueMeters queues;
  private final Role role;

  MetricsRoutes(ClientBroker broker, Role role) {
    this.queues = new QueueMeters(broker, QueueMeters.MAX_AGE);
    this.role = role;
    queues.bindTo(registry);
  }

  void register(RoutesConfig routes) {
    routes.get("/metrics", this::scrape, role);
  }

  private void scrape(Context ctx) {
    queues.refresh(); // BrokerUnavailableException: Errors answers 503, Prometheus shows up == 0
    ctx.contentType(CONTENT_TYPE).result(registry.scrape(CONTENT_TYPE));
  }
}
