package dev.jobq.cli;

import dev.jobq.http.HttpApi;
import dev.jobq.http.HttpSettings;
import dev.jobq.redis.RedisTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves jobq over HTTP, everything under <base-path>, until SIGTERM or SIGINT stops it"
          + " (requests in progress finish); exit 0.",
      "- /v1: the REST API. Producers enqueue and read jobs; agents in any language claim jobs"
          + " under a lease, heartbeat, report progress, complete (one or a batch), fail or"
          + " release them; operators retry, cancel, pause, clear, purge, set limits and"
          + " schedules, and see queues and workers.",
      "- /v1/events: live events (Server-Sent Events). /v1/docs: the API's interactive page"
          + " (/v1/openapi.json, its description). /v1/health: 200 while Redis answers.",
      "- /: the web dashboard, over the same API.",
      "Callers present a bearer token ('Authorization: Bearer <token>') whose roles allow the"
          + " route: read, produce, work or admin (admin may do everything, every token may"
          + " read). Tokens come from a file, one '<role>[,<role>...] <token>' per line (#"
          + " comments), and from $JOBQ_HTTP_TOKENS, the same entries separated by ';'. A token"
          + " has at least 16 characters (openssl rand -hex 32).",
      "Without any token it is read-only and serves 127.0.0.1 only.",
      "The start line gives the API's, the docs page's and the dashboard's addresses.",
      "GET <base-path>/metrics answers every queue's figures in the Prometheus text format,"
          + " without a token unless --protect-metrics.",
      "Each flag's default comes from the environment variable named with it."
    },
    footer = {
      "",
      "Example:",
      "  TOKEN=$(openssl rand -hex 32); echo \"admin $TOKEN\" > tokens; chmod 600 tokens",
      "  jobq serve --port 8080 --token-file tokens",
      "  curl -H \"Authorization: Bearer $TOKEN\" -X POST localhost:8080/v1/queues/default/jobs"
          + " -d '{\"type\":\"jobq.noop\"}'"
    })
final class ServeCommand extends RedisCommand {
  static final int DEFAULT_PORT = 8080;
  /** Where it serves with tokens; without, 127.0.0.1 only. */
  static final String DEFAULT_BIND = "0.0.0.0";
  static final String LOOPBACK = "127.0.0.1";
  /** Requests run on Jetty's threads, each holding a Redis connection for a call or two. */
  private static final int SERVER_POOL_SIZE = 16;

  @Option(names = "--port", paramLabel = "PORT",
      description = "TCP port. $JOBQ_HTTP_PORT, default: " + DEFAULT_PORT + ".")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on. $JOBQ_HTTP_BIND, default: " + DEFAULT_BIND
          + " with tokens, else " + LOOPBACK + " (the only one allowed without tokens).")
  String bind;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Bearer tokens with their roles, one '<role>[,<role>...] <token>' per line."
          + " $JOBQ_HTTP_TOKEN_FILE; $JOBQ_HTTP_TOKENS adds entries separated by ';'.")
  Path tokenFile;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve HTTPS with this PEM certificate chain (the server's first)."
          + " $JOBQ_HTTP_TLS_CERT; needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----) of --tls-cert."
          + " $JOBQ_HTTP_TLS_KEY.")
  Path tlsKey;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN",
      description = "Let browser pages of this origin (https://host[:port]) call the API;"
          + " repeatable. $JOBQ_HTTP_CORS_ORIGINS (comma-separated), default: none.")
  List<String> corsOrigins;

  @Option(names = "--base-path", paramLabel = "PATH",
      description = "Prefix of every route, such as /jobq. $JOBQ_HTTP_BASE_PATH, default: none.")
  String basePath;

  @Option(names = "--protect-metrics",
      description = "Make /metrics need a token with the read role, as the API's reads do;"
          + " by default it is public, as Prometheus scrapers usually send no token."
          + " $JOBQ_HTTP_PROTECT_METRICS (true or false), default: false.")
  boolean protectMetrics;

  private int resolvedPort;
  private String resolvedBind;
  private String resolvedBasePath;
  private HttpSettings settings;

  @Override
  void prepare() {
    Env env = jobq.env();
    resolvedPort = env.integer(port, "JOBQ_HTTP_PORT", DEFAULT_PORT);
    if (resolvedPort < 0 || resolvedPort > 65_535) {
      throw new UsageError("invalid port " + resolvedPort + ": give 0..65535 (0 picks a free one)");
    }
    settings = settings(env);
    resolvedBind = env.string(bind, "JOBQ_HTTP_BIND",
        settings.requiresTokens() ? DEFAULT_BIND : LOOPBACK);
    try {
      settings.checkBind(resolvedBind);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    resolvedBasePath = env.string(basePath, "JOBQ_HTTP_BASE_PATH", "");
    if (!resolvedBasePath.isEmpty() && !resolvedBasePath.startsWith("/")) {
      throw new UsageError("invalid base path '" + resolvedBasePath
          + "': it must start with '/', such as /jobq");
    }
  }

  private HttpSettings settings(Env env) {
    HttpSettings.Builder b = HttpSettings.builder();
    try {
      String file = tokenFile != null ? tokenFile.toString() : env.get("JOBQ_HTTP_TOKEN_FILE");
      if (file != null) {
        b.tokenFile(Path.of(file));
      }
      String tokens = env.get("JOBQ_HTTP_TOKENS");
      if (tokens != null) {
        b.tokens(tokens, "$JOBQ_HTTP_TOKENS");
      }
      tls(env, b);
      if (env.bool(protectMetrics, "JOBQ_HTTP_PROTECT_METRICS")) {
        b.protectMetrics();
      }
      for (String origin : origins(env)) {
        b.corsOrigin(origin);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  private void tls(Env env, HttpSettings.Builder b) {
    String cert = tlsCert != null ? tlsCert.toString() : env.get("JOBQ_HTTP_TLS_CERT");
    String key = tlsKey != null ? tlsKey.toString() : env.get("JOBQ_HTTP_TLS_KEY");
    if ((cert == null) != (key == null)) {
      throw new UsageError("TLS needs both a certificate and its key: give --tls-cert and"
          + " --tls-key ($JOBQ_HTTP_TLS_CERT and $JOBQ_HTTP_TLS_KEY), or neither");
    }
    if (cert != null) {
      b.tls(Path.of(cert), Path.of(key));
    }
  }

  private List<String> origins(Env env) {
    if (corsOrigins != null && !corsOrigins.isEmpty()) {
      return corsOrigins;
    }
    List<String> origins = new ArrayList<>();
    String list = env.get("JOBQ_HTTP_CORS_ORIGINS");
    if (list != null) {
      for (String origin : list.split(",")) {
        if (!origin.isBlank()) {
          origins.add(origin.strip());
        }
      }
    }
    return origins;
  }

  @Override
  int poolSize() {
    return SERVER_POOL_SIZE;
  }

  @Override
  int run(Session session) throws InterruptedException {
    session.refuseWrongSettings();
    RedisTools tools = session.broker().tools();
    HttpApi api = HttpApi.create(session.broker(), settings)
        .redisFacts(tools::serverInfo, tools::serverWarnings)
        .redisNodes(tools::serverInfoByNode, tools::serverWarningsByNode);
    CountDownLatch stop = new CountDownLatch(1);
    List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
    SignalHandler[] previous = new SignalHandler[signals.size()];
    for (int i = 0; i < signals.size(); i++) {
      // runs on the JVM's signal thread: only release the main thread, never block here
      previous[i] = Signal.handle(signals.get(i), s -> stop.countDown());
    }
    try {
      api.start(resolvedBind, resolvedPort, resolvedBasePath);
      String root = (settings.usesTls() ? "https" : "http") + "://" + resolvedBind + ":"
          + api.port() + resolvedBasePath;
      out().println("jobq serve: listening on " + root + "/v1 (docs " + root + "/v1/docs,"
          + " dashboard " + root + "/; redis " + session.config().maskedUrl() + ", prefix "
          + session.config().prefix() + "); " + access());
      out().flush();
      stop.await();
      return 0;
    } finally {
      api.stop();
      for (int i = 0; i < signals.size(); i++) {
        Signal.handle(signals.get(i), previous[i]);
      }
    }
  }

  /** The start line's account of who may call: tokens by number and roles, never the tokens. */
  private String access() {
    String access = settings.requiresTokens()
        ? String.join(", ", settings.describeTokens())
        : "no tokens configured: read-only, serving " + LOOPBACK + " only (configure tokens"
            + " with --token-file or $JOBQ_HTTP_TOKENS to allow writes and other addresses)";
    if (settings.requiresTokens()) {
      access += settings.publicMetrics() ? "; /metrics public" : "; /metrics needs a read token";
    }
    List<String> origins = settings.corsOrigins();
    return origins.isEmpty() ? access : access + "; CORS for " + String.join(", ", origins);
  }
}
