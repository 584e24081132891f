package dev.jobq.cli;

import dev.jobq.http.HttpApi;
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
      "Serves jobq's HTTP API under <base-path>/v1 until SIGTERM or SIGINT stops it (requests in"
          + " progress finish); exit 0.",
      "This first slice serves producers and readers: POST /v1/queues/{q}/jobs,"
          + " GET /v1/jobs/{id}, /v1/queues, /v1/queues/{q}/stats, /v1/queues/{q}/jobs."
          + " It has no authentication yet: bind it to a trusted network only.",
      "Each flag's default comes from the environment variable named with it."
    },
    footer = {
      "",
      "Example:",
      "  jobq serve --port 8080 --bind 127.0.0.1",
      "  curl -X POST localhost:8080/v1/queues/default/jobs -d '{\"type\":\"jobq.noop\"}'"
    })
final class ServeCommand extends RedisCommand {
  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_BIND = "0.0.0.0";
  /** Requests run on Jetty's threads, each holding a Redis connection for a call or two. */
  private static final int SERVER_POOL_SIZE = 16;

  @Option(names = "--port", paramLabel = "PORT",
      description = "TCP port. $JOBQ_HTTP_PORT, default: " + DEFAULT_PORT + ".")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on. $JOBQ_HTTP_BIND, default: " + DEFAULT_BIND + ".")
  String bind;

  @Option(names = "--base-path", paramLabel = "PATH",
      description = "Prefix of every route, such as /jobq. $JOBQ_HTTP_BASE_PATH, default: none.")
  String basePath;

  private int resolvedPort;
  private String resolvedBind;
  private String resolvedBasePath;

  @Override
  void prepare() {
    Env env = jobq.env();
    resolvedPort = env.integer(port, "JOBQ_HTTP_PORT", DEFAULT_PORT);
    if (resolvedPort < 0 || resolvedPort > 65_535) {
      throw new UsageError("invalid port " + resolvedPort + ": give 0..65535 (0 picks a free one)");
    }
    resolvedBind = env.string(bind, "JOBQ_HTTP_BIND", DEFAULT_BIND);
    resolvedBasePath = env.string(basePath, "JOBQ_HTTP_BASE_PATH", "");
    if (!resolvedBasePath.isEmpty() && !resolvedBasePath.startsWith("/")) {
      throw new UsageError("invalid base path '" + resolvedBasePath
          + "': it must start with '/', such as /jobq");
    }
  }

  @Override
  int poolSize() {
    return SERVER_POOL_SIZE;
  }

  @Override
  int run(Session session) throws InterruptedException {
    HttpApi api = HttpApi.create(session.broker());
    CountDownLatch stop = new CountDownLatch(1);
    List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
    SignalHandler[] previous = new SignalHandler[signals.size()];
    for (int i = 0; i < signals.size(); i++) {
      // runs on the JVM's signal thread: only release the main thread, never block here
      previous[i] = Signal.handle(signals.get(i), s -> stop.countDown());
    }
    try {
      api.start(resolvedBind, resolvedPort, resolvedBasePath);
      out().println("jobq serve: listening on http://" + resolvedBind + ":" + api.port()
          + resolvedBasePath + "/v1 (redis " + session.config().maskedUrl() + ", prefix "
          + session.config().prefix() + "); no authentication yet");
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
}
