package dev.jobq.http;

import dev.jobq.JobClient;
import dev.jobq.spi.Broker;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import jakarta.servlet.Servlet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * jobq's REST API under {@code /v1}, on Javalin (Jetty). Build it over a broker, {@link #start}
 * it on an address, {@link #stop} it; the broker stays the caller's to close.
 *
 * <pre>{@code
 * HttpApi api = HttpApi.create(broker, settings).start("0.0.0.0", 8080, "");
 * ...
 * api.stop();
 * }</pre>
 *
 * <p>Who may call it is in its {@link HttpSettings}: without them ({@link #create(Broker)}) it
 * has no token, so it only reads and serves 127.0.0.1 only.
 */
public final class HttpApi {
  /** What a request body may hold beyond the jobs' payloads: ids, types, options, JSON syntax. */
  public static final int BODY_OVERHEAD_BYTES = 1024 * 1024;

  private final JobClient client;
  private final int maxPayloadBytes;
  private final HttpSettings settings;
  private Function<String, Map<String, String>> redisInfo;
  private Supplier<List<String>> redisWarnings;
  private Function<String, Map<String, Map<String, String>>> redisNodeInfo;
  private Supplier<Map<String, List<String>>> redisNodeWarnings;
  private Javalin app;
  private EventRoutes events;
  private WorkRoutes work;
  /** Serving as a servlet in the application's own container, not on a server of its own. */
  private boolean mounted;

  private HttpApi(JobClient client, int maxPayloadBytes, HttpSettings settings) {
    this.client = client;
    this.maxPayloadBytes = maxPayloadBytes;
    this.settings = settings;
  }

  /**
   * A read-only API on 127.0.0.1 ({@link HttpSettings#defaults()}) whose jobs' payloads may be
   * up to {@link JobClient#DEFAULT_MAX_PAYLOAD_BYTES}.
   */
  public static HttpApi create(Broker broker) {
    return create(broker, HttpSettings.defaults());
  }

  /** An API with these settings whose jobs' payloads may be up to the default. */
  public static HttpApi create(Broker broker, HttpSettings settings) {
    return create(broker, JobClient.DEFAULT_MAX_PAYLOAD_BYTES, settings);
  }

  /** A read-only API on 127.0.0.1 whose jobs' payloads may be up to {@code maxPayloadBytes}. */
  public static HttpApi create(Broker broker, int maxPayloadBytes) {
    return create(broker, maxPayloadBytes, HttpSettings.defaults());
  }

  /** An API with these settings whose jobs' payloads may be up to {@code maxPayloadBytes}. */
  public static HttpApi create(Broker broker, int maxPayloadBytes, HttpSettings settings) {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(settings, "settings");
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException("maxPayloadBytes < 1: " + maxPayloadBytes);
    }
    return new HttpApi(JobClient.create(broker, maxPayloadBytes), maxPayloadBytes, settings);
  }

  /**
   * Lets {@code GET /v1/redis} answer Redis's facts: {@code info} answers a section of Redis's
   * INFO as field to value, {@code warnings} the settings that put jobs at risk, as sentences
   * (a RedisBroker's {@code tools()::serverInfo} and {@code tools()::serverWarnings}). Without
   * them the route answers 404. Call before {@link #start}.
   */
  public synchronized HttpApi redisFacts(Function<String, Map<String, String>> info,
      Supplier<List<String>> warnings) {
    this.redisInfo = Objects.requireNonNull(info, "info");
    this.redisWarnings = Objects.requireNonNull(warnings, "warnings");
    return this;
  }

  /**
   * Lets {@code GET /v1/redis} under a Redis Cluster list every master's facts beside the
   * others: {@code info} answers a section of INFO by node, {@code warnings} each node's
   * warnings (a RedisBroker's {@code tools()::serverInfoByNode} and
   * {@code tools()::serverWarningsByNode}). On one server the answer stays as it was. Call
   * before {@link #start}.
   */
  public synchronized HttpApi redisNodes(Function<String, Map<String, Map<String, String>>> info,
      Supplier<Map<String, List<String>>> warnings) {
    this.redisNodeInfo = Objects.requireNonNull(info, "info");
    this.redisNodeWarnings = Objects.requireNonNull(warnings, "warnings");
    return this;
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
   * @throws IllegalArgumentException when the base path does not start with '/', or when no
   *     token is configured and {@code bind} is not a loopback address
   */
  public synchronized HttpApi start(String bind, int port, String basePath) {
    if (app != null) {
      throw new IllegalStateException("already started on port " + app.port());
    }
    settings.checkBind(bind);
    Javalin starting = create(contextPath(basePath), bind, port);
    try {
      starting.start(bind, port);
    } catch (RuntimeException e) {
      starting.stop(); // a port taken: not started, so that a start on another port may follow
      throw e;
    }
    app = starting;
    work.start();
    return this;
  }

  /**
   * The API and dashboard as a servlet, for an application to mount in its own servlet
   * container (Jetty, or Javalin's through {@code config.jetty.modifyServletContextHandler})
   * under a path of its choice, such as {@code /jobq/*}, with async support on (event streams
   * and long-polling claims need it). The application's server decides where it listens and
   * whether it speaks TLS; who may call is still this API's {@link HttpSettings}. {@link #stop}
   * ends its background work; the container's own stop ends its requests.
   *
   * <pre>{@code
   * HttpApi api = HttpApi.create(broker, settings);
   * Javalin.create(config -> config.jetty.modifyServletContextHandler(handler -> {
   *   ServletHolder jobq = new ServletHolder(api.servlet());
   *   jobq.setAsyncSupported(true);
   *   handler.addServlet(jobq, "/jobq/*");
   * }));
   * }</pre>
   *
   * @throws IllegalStateException when already started or mounted
   */
  public synchronized Servlet servlet() {
    if (app != null) {
      throw new IllegalStateException("already started or mounted: one HttpApi serves once");
    }
    app = create("/", null, 0);
    mounted = true;
    work.start();
    return new MountedServlet(app.javalinServlet());
  }

  /** The app with every route, not yet serving; {@code bind} is null when mounted. */
  private Javalin create(String context, String bind, int port) {
    long maxBody = maxBodyBytes();
    JobRoutes jobs = new JobRoutes(client, new JobBodies(maxPayloadBytes), maxBody);
    QueueRoutes queues = new QueueRoutes(client);
    work = new WorkRoutes(client.broker(), maxPayloadBytes);
    events = new EventRoutes(client);
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.router.contextPath = context;
      config.router.ignoreTrailingSlashes = true;
      config.http.maxRequestSize = maxBody;
      secure(config, bind, port);
      Errors.register(config.routes);
      SecurityHeaders.register(config.routes);
      new SessionRoutes(settings).register(config.routes);
      jobs.register(config.routes);
      queues.register(config.routes);
      work.register(config.routes);
      new AdminRoutes(client).register(config.routes);
      new SettingRoutes(client, maxPayloadBytes).register(config.routes);
      new WorkerRoutes(client).register(config.routes);
      new SearchRoutes(client.broker()).register(config.routes);
      new DeadLetterRoutes(client.broker()).register(config.routes);
      events.register(config.routes);
      new HealthRoutes(client.broker()).register(config.routes);
      new HistoryRoutes(client.broker()).register(config.routes);
      new RedisRoutes(redisInfo, redisWarnings, redisNodeInfo, redisNodeWarnings)
          .register(config.routes);
      new DocsRoutes().register(config.routes);
      new DashboardRoutes().register(config.routes);
      new MetricsRoutes(client.broker(), settings.metricsRole).register(config.routes);
    });
  }

  /** The port being served; after {@code start(…, 0, …)} the one picked. */
  public synchronized int port() {
    if (app == null || mounted) {
      throw new IllegalStateException(app == null ? "not started"
          : "mounted as a servlet: the application's server has the port");
    }
    return app.port();
  }

  /** How many long-polling claims wait, and on how many queues: "24 on 1". */
  synchronized String waitingClaims() {
    return work.waitingClaims();
  }

  /**
   * Every route served, as {@code "GET /v1/queues READ"}: what the OpenAPI description must
   * match.
   */
  synchronized List<String> routes() {
    if (app == null) {
      throw new IllegalStateException("not started");
    }
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .map(e -> e.method.name() + " " + e.path + " " + roleOf(e))
        .toList();
  }

  private static String roleOf(Endpoint endpoint) {
    Roles roles = endpoint.metadata(Roles.class);
    return roles == null ? "none" : roles.getRoles().stream().map(Object::toString)
        .sorted().collect(Collectors.joining(","));
  }

  /**
   * Stops serving, letting requests in progress finish and ending event streams (within a
   * second); does nothing when not started.
   */
  public synchronized void stop() {
    if (app != null) {
      events.stop();
      work.stop();
      if (!mounted) {
        app.stop();
      }
      app = null;
      mounted = false;
    }
  }

  /** Whether it serves HTTPS. */
  public boolean usesTls() {
    return settings.usesTls();
  }

  private void secure(JavalinConfig config, String bind, int port) {
    config.routes.beforeMatched(settings.access::check);
    if (settings.tls != null && bind != null) {
      config.jetty.addConnector((server, http) -> settings.tls.connector(server, http, bind, port));
    }
    List<String> origins = settings.corsOrigins;
    if (!origins.isEmpty()) {
      config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.allowHost(
          origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new))));
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
