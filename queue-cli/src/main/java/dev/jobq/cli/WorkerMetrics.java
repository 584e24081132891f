package dev.jobq.cli;

import dev.jobq.metrics.JobqWorkerMetrics;
import dev.jobq.metrics.JvmMetrics;
import dev.jobq.metrics.MetricsEndpoint;
import dev.jobq.worker.WorkerListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A worker process's metrics: its own and the JVM's, served at /metrics for Prometheus. */
final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JobqWorkerMetrics listener;
  private final AutoCloseable jvm;
  private final MetricsEndpoint endpoint;

  private WorkerMetrics(PrometheusMeterRegistry registry, JobqWorkerMetrics listener,
      AutoCloseable jvm, MetricsEndpoint endpoint) {
    this.registry = registry;
    this.listener = listener;
    this.jvm = jvm;
    this.endpoint = endpoint;
  }

  /** Listens on {@code bind}:{@code port}, before the worker starts, so a taken port starts nothing. */
  static WorkerMetrics start(String bind, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobqWorkerMetrics listener = new JobqWorkerMetrics(registry);
    AutoCloseable jvm = JvmMetrics.bindTo(registry);
    try {
      return new WorkerMetrics(registry, listener, jvm,
          MetricsEndpoint.start(registry, new InetSocketAddress(bind, port)));
    } catch (IOException | RuntimeException e) {
      closeQuietly(jvm);
      registry.close();
      throw new CommandFailed("cannot serve metrics on " + bind + ":" + port + " (" + e
          + "): pick another --metrics-port ($JOBQ_METRICS_PORT) or --metrics-bind");
    }
  }

  WorkerListener listener() {
    return listener;
  }

  /** Where Prometheus finds them. */
  String url() {
    return "http://" + endpoint.address().getHostString() + ":" + endpoint.port()
        + MetricsEndpoint.PATH;
  }

  @Override
  public void close() {
    endpoint.close();
    closeQuietly(jvm);
    registry.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // the GC listener only: nothing to keep
    }
  }
}
