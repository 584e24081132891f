package dev.jobq.cli;

import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.internal.Durations;
import dev.jobq.worker.Worker;
import java.io.IOException;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    aliases = "run_worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker: claims jobs from the queues, runs their handlers on --concurrency threads,"
          + " and reports the outcomes, until SIGTERM or SIGINT stops it gracefully (running jobs"
          + " get --shutdown-grace to finish, the rest go back to their queue unspent); exit 0.",
      "Handlers: the built-in jobq.noop, jobq.echo, jobq.sleep, jobq.fail, and every"
          + " JobHandlerProvider (java.util.ServiceLoader) in the jars of --handler-path or on the"
          + " classpath.",
      "Each flag's default comes from the environment variable named with it."
    },
    footer = {
      "",
      "Example:",
      "  jobq worker --queues critical,default --concurrency 8",
      "  jobq worker --queues emails:3,reports:1 --handler-path /opt/jobq/handlers",
      "  JOBQ_QUEUES=default JOBQ_CONCURRENCY=16 jobq run_worker --log-json",
      "  jobq worker --metrics-port 9400 --metrics-bind 0.0.0.0   # Prometheus: /metrics"
    })
final class WorkerCommand extends RedisCommand {
  private static final int DEFAULT_CONCURRENCY = 4;
  /** Connections beyond one per job thread: the fetch loop's blocking wait, heartbeats, outbox. */
  private static final int SPARE_CONNECTIONS = 6;
  private static final String DEFAULT_METRICS_BIND = "127.0.0.1";

  @Option(names = "--queues", paramLabel = "Q[,Q…]|Q:W[,Q:W…]",
      description = "Queues in strict priority order, or each with a weight. $JOBQ_QUEUES,"
          + " default: default.")
  String queues;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Jobs run at once. $JOBQ_CONCURRENCY, default: " + DEFAULT_CONCURRENCY + ".")
  Integer concurrency;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The worker's id. $JOBQ_WORKER_NAME, default: host:pid:random.")
  String name;

  @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long a claimed job stays ours without renewal. $JOBQ_LEASE, default: 30s.")
  Duration lease;

  @Option(names = "--heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Lease renewal and heartbeat interval. $JOBQ_HEARTBEAT, default: lease/3.")
  Duration heartbeat;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time an attempt may take when its job sets none. $JOBQ_TIMEOUT, default: 10m.")
  Duration timeout;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time running jobs get to finish on shutdown. $JOBQ_SHUTDOWN_GRACE,"
          + " default: 30s.")
  Duration shutdownGrace;

  @Option(names = {"--handler-path", "--classpath"}, paramLabel = "PATHS",
      description = "Handler jars, or directories of jars, separated by ':'. $JOBQ_HANDLER_PATH.")
  String handlerPath;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve metrics for Prometheus at http://ADDRESS:PORT/metrics (0: a free"
          + " port). $JOBQ_METRICS_PORT, default: none, no metrics.")
  Integer metricsPort;

  @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
      description = "Address the metrics listen on; 0.0.0.0 for a scraper on another host."
          + " $JOBQ_METRICS_BIND, default: " + DEFAULT_METRICS_BIND + ".")
  String metricsBind;

  @Option(names = "--log-json", description = "Log JSON lines (to stderr). $JOBQ_LOG_JSON.")
  boolean logJson;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "error, warn, info, debug or trace. $JOBQ_LOG_LEVEL, default: info.")
  String logLevel;

  private Settings settings;

  /** The flags with the environment's defaults filled in. */
  private record Settings(QueueSpec queues, int concurrency, String name, Duration lease,
      Duration heartbeat, Duration timeout, Duration grace, String handlerPath, boolean logJson,
      Integer metricsPort, String metricsBind) {}

  @Override
  void prepare() {
    Env env = jobq.env();
    settings = new Settings(
        QueueSpec.parse(env.string(queues, "JOBQ_QUEUES", "default")),
        env.integer(concurrency, "JOBQ_CONCURRENCY", DEFAULT_CONCURRENCY),
        env.string(name, "JOBQ_WORKER_NAME", null),
        env.duration(lease, "JOBQ_LEASE", Worker.DEFAULT_LEASE),
        env.duration(heartbeat, "JOBQ_HEARTBEAT", null),
        env.duration(timeout, "JOBQ_TIMEOUT", Worker.DEFAULT_TIMEOUT),
        env.duration(shutdownGrace, "JOBQ_SHUTDOWN_GRACE", Worker.DEFAULT_SHUTDOWN_GRACE),
        env.string(handlerPath, "JOBQ_HANDLER_PATH", null),
        env.bool(logJson, "JOBQ_LOG_JSON"),
        metricsPort(env),
        env.string(metricsBind, "JOBQ_METRICS_BIND", DEFAULT_METRICS_BIND));
    Logging.configureWorker(settings.logJson, env.string(logLevel, "JOBQ_LOG_LEVEL", "info"));
  }

  /** Null when metrics are off. */
  private Integer metricsPort(Env env) {
    if (metricsPort == null && env.get("JOBQ_METRICS_PORT") == null) {
      return null;
    }
    int port = env.integer(metricsPort, "JOBQ_METRICS_PORT", 0);
    if (port < 0 || port > 65_535) {
      throw new UsageError("invalid metrics port " + port + ": give 0..65535 (0 picks a free"
          + " one), or leave --metrics-port out for no metrics");
    }
    return port;
  }

  @Override
  int poolSize() {
    return Math.max(1, settings.concurrency) + SPARE_CONNECTIONS;
  }

  @Override
  int run(Session session) throws IOException {
    URLClassLoader handlers = settings.handlerPath == null ? null
        : HandlerPath.loader(settings.handlerPath, Jobq.class.getClassLoader());
    WorkerMetrics metrics = null;
    try {
      session.refuseWrongSettings();
      if (settings.metricsPort != null) {
        metrics = WorkerMetrics.start(settings.metricsBind, settings.metricsPort);
      }
      Worker worker = build(session, handlers, metrics);
      announce(worker, session, metrics);
      jobq.workerStarting().accept(worker);
      return worker.runUntilSignalled();
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      if (handlers != null) {
        handlers.close();
      }
    }
  }

  private Worker build(Session session, ClassLoader handlers, WorkerMetrics metrics) {
    Settings s = settings;
    Worker.Builder b = Worker.builder(session.broker())
        .concurrency(s.concurrency)
        .lease(s.lease)
        .defaultTimeout(s.timeout)
        .shutdownGrace(s.grace)
        // the handler loader delegates to ours, so one loader finds both sets of providers
        .discoverHandlers(handlers != null ? handlers : Jobq.class.getClassLoader());
    s.queues.applyTo(b);
    if (s.name != null) {
      b.name(s.name);
    }
    if (s.heartbeat != null) {
      b.heartbeatInterval(s.heartbeat);
    }
    if (metrics != null) {
      b.listener(metrics.listener());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    } catch (IllegalStateException e) {
      throw new CommandFailed("cannot load the handlers: " + e.getMessage());
    }
  }

  /** One start line, and the Redis settings that put jobs at risk. */
  private void announce(Worker worker, Session session, WorkerMetrics metrics) {
    Settings s = settings;
    String line = "jobq worker " + worker.name() + " starting: redis "
        + session.config().maskedUrl() + ", prefix " + session.config().prefix() + ", queues "
        + s.queues + ", concurrency " + s.concurrency + ", lease " + Durations.format(s.lease)
        + ", timeout " + Durations.format(s.timeout) + ", shutdown grace "
        + Durations.format(s.grace) + (metrics != null ? ", metrics " + metrics.url() : "");
    List<String> warnings = session.broker().tools().serverWarnings();
    if (s.logJson) {
      // stdout and stderr both carry JSON only, for log shippers
      org.slf4j.Logger log = LoggerFactory.getLogger(WorkerCommand.class);
      log.info(line);
      warnings.forEach(log::warn);
      return;
    }
    out().println(line);
    out().flush();
    warnings.forEach(w -> err().println("jobq: warning: " + w));
    err().flush();
  }
}
