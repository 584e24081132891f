package dev.jobq.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's {@code /metrics}: one GET, answered with the Prometheus text format of a
 * {@link PrometheusMeterRegistry}. It runs on the JDK's own HTTP server (one daemon thread):
 * a worker has no web server, and one route does not justify bringing Jetty into a worker;
 * {@code jobq serve} has its own {@code /metrics} on its Javalin server.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The path Prometheus scrapes by default. */
  public static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Listens on {@code address} (port 0: a free one, see {@link #port()}) and serves {@code
   * registry}'s scrape at {@link #PATH}. Throws {@link IOException} when the port is taken.
   */
  public static MetricsEndpoint start(PrometheusMeterRegistry registry, InetSocketAddress address)
      throws IOException {
    Objects.requireNonNull(registry, "registry");
    HttpServer server = HttpServer.create(address, 0);
    server.createContext("/", exchange -> answer(exchange, registry));
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "jobq-metrics-http");
      t.setDaemon(true); // never keeps a stopped worker's JVM alive
      return t;
    });
    server.setExecutor(thread);
    server.start();
    return new MetricsEndpoint(server, thread);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address it listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found: metrics are at " + PATH
            + "\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", method + " is not allowed on " + PATH
            + ": use GET\n");
      } else {
        send(exchange, 200, CONTENT_TYPE, registry.scrape());
      }
    } catch (RuntimeException e) {
      log.warn("answering a metrics scrape failed", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops listening at once: a scrape under way may be cut. */
  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
