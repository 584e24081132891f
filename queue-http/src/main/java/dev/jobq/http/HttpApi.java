package dev.jobq.http;

import dev.jobq.JobClient;
import dev.jobq.spi.Broker;
import io.javalin.Javalin;
import java.util.Objects;

/**
 * jobq's REST API under {@code /v1}, on Javalin (Jetty). Build it over a broker, {@link #start}
 * it on an address, {@link #stop} it; the broker stays the caller's to close.
 *
 * <pre>{@code
 * HttpApi api = HttpApi.create(broker).start("127.0.0.1", 8080, "");
 * ...
 * api.stop();
 * }</pre>
 */
public final class HttpApi {
  /** What a request body may hold beyond the jobs' payloads: ids, types, options, JSON syntax. */
  public static final int BODY_OVERHEAD_BYTES = 1024 * 1024;

  private final JobClient client;
  private final int maxPayloadBytes;
  private Javalin app;
  private EventRoutes events;

  private HttpApi(JobClient client, int maxPayloadBytes) {
    this.client = client;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** An API whose jobs' payloads may be up to {@link JobClient#DEFAULT_MAX_PAYLOAD_BYTES}. */
  public static HttpApi create(Broker broker) {
    return create(broker, JobClient.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** An API whose jobs' payloads may be up to {@code maxPayloadBytes} each. */
  public static HttpApi create(Broker broker, int maxPayloadBytes) {
    Objects.requireNonNull(broker, "broker");
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException("maxPayloadBytes < 1: " + maxPayloadBytes);
    }
    return new HttpApi(JobClient.create(broker, maxPayloadBytes), maxPayloadBytes);
  }

  /** The most a request body may hold: one payload at the limit plus the overhead. */
  public long maxBodyBytes() {
    return (long) maxPayloadBytes + BODY_OVERHEAD_BYTES;
  }

  /**
   * Starts serving on {@code bind}:{@code port} (0 picks a free port, see {@link #port()}), with
   * every route under {@code basePath} ({@code ""} or {@code "/jobq"}).
   *
   * @throws IllegalStateException when already started
   * @throws IllegalArgumentException when the base path does not start with '/'
   */
  public synchronized HttpApi start(String bind, int port, String basePath) {
    if (app != null) {
      throw new IllegalStateException("already started on port " + app.port());
    }
    String context = contextPath(basePath);
    long maxBody = maxBodyBytes();
    JobRoutes jobs = new JobRoutes(client, new JobBodies(maxPayloadBytes), maxBody);
    QueueRoutes queues = new QueueRoutes(client);
    WorkRoutes work = new WorkRoutes(client.broker(), maxPayloadBytes);
    events = new EventRoutes(client);
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.router.contextPath = context;
      config.router.ignoreTrailingSlashes = true;
      config.http.maxRequestSize = maxBody;
      Errors.register(config.routes);
      jobs.register(config.routes);
      queues.register(config.routes);
      work.register(config.routes);
      new AdminRoutes(client).register(config.routes);
      new SettingRoutes(client, maxPayloadBytes).register(config.routes);
      new WorkerRoutes(client).register(config.routes);
      new SearchRoutes(client.broker()).register(config.routes);
      new DeadLetterRoutes(client.broker()).register(config.routes);
      events.register(config.routes);
    });
    app.start(bind, port);
    return this;
  }

  /** The port being served; after {@code start(…, 0, …)} the one picked. */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("not started");
    }
    return app.port();
  }

  /**
   * Stops serving, letting requests in progress finish and ending event streams (within a
   * second); does nothing when not started.
   */
  public synchronized void stop() {
    if (app != null) {
      events.stop();
      app.stop();
      app = null;
    }
  }

  private static String contextPath(String basePath) {
    if (basePath == null || basePath.isEmpty() || basePath.equals("/")) {
      return "/";
    }
    if (!basePath.startsWith("/") || basePath.contains("{") || basePath.contains(" ")) {
      throw new IllegalArgumentException("base path '" + basePath
          + "' must start with '/' and be a plain path, such as /jobq");
    }
    return basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
  }
}
