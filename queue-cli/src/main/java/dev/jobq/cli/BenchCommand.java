package dev.jobq.cli;

import dev.jobq.Priority;
import dev.jobq.cli.bench.Bench;
import dev.jobq.cli.bench.BenchReport;
import dev.jobq.cli.bench.HttpBench;
import dev.jobq.cli.bench.OwnRedisCluster;
import dev.jobq.cli.bench.OwnRedisServer;
import dev.jobq.cli.bench.RedisReference;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures jobq against the Redis it runs on: enqueue throughput (one call per job and in"
          + " batches), end-to-end throughput of jobq.noop jobs through workers in this JVM,"
          + " pickup latency into an idle worker, and Redis's commands, memory and CPU per job;"
          + " beside them, what redis-benchmark gets from the same Redis for EVALSHA of a"
          + " trivial script.",
      "",
      "With --http it measures the same through the HTTP API as well, served in this JVM on"
          + " 127.0.0.1: enqueue of JSON arrays, end to end through HTTP agents (keep-alive,"
          + " claiming up to 100 jobs and completing them in one call), and long-poll pickup;"
          + " beside the direct figures, as ratios.",
      "",
      "Under a Redis Cluster (--start-cluster, or a redis-cluster:// URL) the batch enqueue and"
          + " the drain spread over --queues queues placed evenly on the masters, and it reads"
          + " INFO from every master: each shard's jobs, Redis CPU and time per job, and what N"
          + " shards would take each on a core of its own.",
      "",
      "It writes only under a prefix of its own (PREFIX-bench-XXXXXX) and deletes it when done."
    },
    footer = {
      "",
      "Example:",
      "  jobq bench --start-redis --quick          # under a minute, before and after a change",
      "  jobq bench --start-redis --producers 2 --workers 2 --concurrency 32 --json",
      "  jobq bench --start-redis --http --http-agents 4",
      "  jobq bench --start-cluster --queues 6 --workers 3"
    })
final class BenchCommand implements Callable<Integer> {
  @ParentCommand Jobq jobq;
  @Spec CommandSpec spec;

  @Option(names = "--start-redis", description = "Start a redis-server of its own on a free port"
      + " (persisting nothing) to measure, instead of --redis-url (not with it).")
  boolean startRedis;

  @Option(names = "--start-cluster", description = "Start a Redis Cluster of its own"
      + " (--cluster-masters masters on free ports, no replicas, persisting nothing) instead of"
      + " --redis-url (not with it).")
  boolean startCluster;

  @Option(names = "--cluster-masters", paramLabel = "M", defaultValue = "3",
      description = "Masters of the --start-cluster cluster, 3 or more. Default: ${DEFAULT-VALUE}.")
  int clusterMasters;

  @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
      description = "Queues the batch enqueue and the drain spread their jobs over, evenly over"
          + " the nodes (a cluster's masters). Default: ${DEFAULT-VALUE}.")
  int queues;

  @Option(names = "--quick", description = "Fewer jobs and samples (5000 jobs): under a minute.")
  boolean quick;

  @Option(names = "--jobs", paramLabel = "N", description = "Jobs per throughput measure."
      + " Default: 100000 (5000 with --quick).")
  Integer jobs;

  @Option(names = "--payload-bytes", paramLabel = "BYTES", defaultValue = "100",
      description = "Size of each job's JSON payload. Default: ${DEFAULT-VALUE}.")
  int payloadBytes;

  @Option(names = "--priorities", paramLabel = "P", split = ",", defaultValue = "normal",
      converter = Converters.PriorityConverter.class,
      description = "Priorities given to the jobs in turn, e.g. critical,high,normal,low."
          + " Default: ${DEFAULT-VALUE}.")
  List<Priority> priorities;

  @Option(names = "--producers", paramLabel = "P", defaultValue = "1",
      description = "Threads enqueueing at once, each its share of the jobs, in both enqueue"
          + " measures. Default: ${DEFAULT-VALUE}.")
  int producers;

  @Option(names = "--workers", paramLabel = "W", defaultValue = "1",
      description = "Workers draining the queue, each with its own connections as a worker"
          + " process has. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "16",
      description = "Threads per worker. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
      description = "Jobs per enqueueAll call. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--warmup", paramLabel = "N", description = "Jobs enqueued and drained before"
      + " measuring, for the JIT. Default: 20000 (1000 with --quick).")
  Integer warmup;

  @Option(names = "--pickup-samples", paramLabel = "N", description = "Jobs sent one at a time"
      + " to measure pickup latency. Default: 300 (100 with --quick).")
  Integer pickupSamples;

  @Option(names = "--http", description = "Measure through the HTTP API too (jobq serve's"
      + " routes, in this JVM on a free 127.0.0.1 port).")
  boolean http;

  @Option(names = "--http-agents", paramLabel = "N", defaultValue = "4",
      description = "HTTP agent threads draining the queue with --http, each its own HTTP"
          + " client. Default: ${DEFAULT-VALUE}.")
  int httpAgents;

  @Option(names = "--metrics", description = "Workers record their metrics (queue-metrics, into"
      + " a Prometheus registry each) as jobq worker --metrics-port does: run with and without"
      + " to see what metrics cost.")
  boolean metrics;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    Bench.Plan plan = plan();
    try (AutoCloseable own = startOwn()) {
      String base = jobq.redisConfig(1).prefix();
      jobq.redis.prefix = base + "-bench-" + HexFormat.of().toHexDigits(
          ThreadLocalRandom.current().nextInt()).substring(2);
      RedisConfig config = jobq.redisConfig(Math.max(4, producers + 1));
      try (RedisBroker broker = RedisBroker.connect(config)) {
        try {
          BenchReport report = new Bench(config, broker, plan).run();
          if (http) {
            report = report.withHttp(new HttpBench(config, plan, httpAgents).run());
          }
          print(report, config);
        } finally {
          broker.tools().deletePrefix();
        }
      }
      return 0;
    }
  }

  /**
   * The Redis of --start-redis or --start-cluster, its URL set as the one to use (over
   * $REDIS_URL; --redis-url with either is refused by {@link #plan}).
   */
  private AutoCloseable startOwn() {
    if (startRedis) {
      OwnRedisServer server = OwnRedisServer.start();
      jobq.redis.url = server.url();
      return server;
    }
    if (startCluster) {
      OwnRedisCluster cluster = OwnRedisCluster.start(clusterMasters);
      jobq.redis.url = cluster.url();
      return cluster;
    }
    return () -> { };
  }

  private Bench.Plan plan() {
    positive("--jobs", jobs);
    positive("--payload-bytes", payloadBytes);
    positive("--producers", producers);
    positive("--workers", workers);
    positive("--concurrency", concurrency);
    positive("--batch", batch);
    positive("--pickup-samples", pickupSamples);
    positive("--http-agents", httpAgents);
    positive("--queues", queues);
    if (startRedis && startCluster) {
      throw new UsageError("--start-redis and --start-cluster exclude each other: give one");
    }
    if (jobq.redis.url != null && (startRedis || startCluster)) {
      throw new UsageError((startRedis ? "--start-redis" : "--start-cluster") + " and"
          + " --redis-url exclude each other: give --redis-url to measure that Redis, or "
          + (startRedis ? "--start-redis" : "--start-cluster") + " alone to start one");
    }
    if (clusterMasters < OwnRedisCluster.MIN_MASTERS) {
      throw new UsageError("--cluster-masters must be " + OwnRedisCluster.MIN_MASTERS
          + " or more (redis-cli --cluster create needs them), not " + clusterMasters);
    }
    if (warmup != null && warmup < 0) {
      throw new UsageError("--warmup must be 0 or more, not " + warmup);
    }
    return new Bench.Plan(
        jobs != null ? jobs : quick ? 5_000 : 100_000,
        payloadBytes, List.copyOf(priorities), producers, workers, concurrency, batch,
        warmup != null ? warmup : quick ? 1_000 : 20_000,
        pickupSamples != null ? pickupSamples : quick ? 100 : 300,
        quick ? 20_000 : 100_000, metrics, queues);
  }

  private static void positive(String option, Integer value) {
    if (value != null && value < 1) {
      throw new UsageError(option + " must be 1 or more, not " + value);
    }
  }

  private void print(BenchReport r, RedisConfig config) {
    PrintWriter out = spec.commandLine().getOut();
    if (json.on) {
      out.println(dev.jobq.internal.Json.encode(r));
      out.flush();
      return;
    }
    Bench.Plan p = r.plan();
    out.printf("jobq bench: Redis %s at %s; %d jobs of %d bytes,"
        + " priorities %s, %d producer(s), %d worker(s) x %d threads, batches of %d,"
        + " warm-up %d%s%n%n", r.redisVersion(), config.maskedUrl(), p.jobs(), p.payloadBytes(),
        names(p.priorities()), p.producers(), p.workers(), p.concurrency(), p.batch(), p.warmup(),
        p.metrics() ? ", worker metrics on" : "");
    RedisReference.Figures ref = r.reference();
    String plain = "EVALSHA, " + RedisReference.CLIENTS + " clients";
    String piped = "EVALSHA, " + RedisReference.CLIENTS + " clients, pipelined "
        + RedisReference.PIPELINE;
    new Table("measure", "jobq", "Redis reference", "ratio")
        .add("enqueue, one call per job", rate(r.enqueueSinglePerSecond()),
            opsCell(plain, ref.evalshaPerSecond()),
            ratio(r.enqueueSinglePerSecond(), ref.evalshaPerSecond()))
        .add("enqueue, batches of " + p.batch(), rate(r.enqueueBatchPerSecond()),
            opsCell(piped, ref.evalshaPipelinedPerSecond()),
            ratio(r.enqueueBatchPerSecond(), ref.evalshaPipelinedPerSecond()))
        .add("end to end, jobq.noop", rate(r.endToEndPerSecond()),
            opsCell(plain, ref.evalshaPerSecond()),
            ratio(r.endToEndPerSecond(), ref.evalshaPerSecond()))
        .add("pickup latency p50 / p95 / p99",
            millis(r.pickupP50Ms(), r.pickupP95Ms(), r.pickupP99Ms()), "", "")
        .add("Redis memory per waiting job", bytes(r.bytesPerWaitingJob()), "", "")
        .add("Redis memory per completed job", bytes(r.bytesPerCompletedJob()), "", "")
        .add("Redis CPU per 1000 jobs", String.format(Locale.ROOT, "%.3f s",
            r.redisCpuSecondsPer1000Jobs()), "", "")
        .print(out);
    out.println();
    out.println("Redis commands per job (enqueue in batches and drain; commands run by scripts"
        + " included):");
    out.println("  " + r.commandsPerJob().entrySet().stream().limit(10)
        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
        .collect(Collectors.joining(", ")));
    out.println("Redis time per job in microseconds, by command (lua: about the scripts' own time,"
        + " outside the commands they ran):");
    out.println("  enqueue " + micros(r.enqueueRedisMicrosPerJob()));
    out.println("  drain   " + micros(r.drainRedisMicrosPerJob()));
    if (r.http() != null) {
      printHttp(out, r);
    }
    if (r.shards().shards().size() > 1) {
      ShardsText.print(out, r.shards(), r.endToEndPerSecond());
    }
    if (ref.missing() != null) {
      out.println("no reference: " + ref.missing());
    }
    out.flush();
  }

  private static void printHttp(PrintWriter out, BenchReport r) {
    HttpBench.Figures h = r.http();
    RedisReference.Figures ref = r.reference();
    out.println();
    out.printf("Through the HTTP API (in this JVM on 127.0.0.1; %d agent(s), each claiming up to"
        + " %d jobs and completing them in one call):%n", h.agents(), h.claimMax());
    new Table("measure", "over HTTP", "direct", "HTTP / direct", "HTTP / Redis reference")
        .add("enqueue, arrays of " + r.plan().batch(), rate(h.enqueueBatchPerSecond()),
            rate(r.enqueueBatchPerSecond()),
            ratio(h.enqueueBatchPerSecond(), r.enqueueBatchPerSecond()),
            ratio(h.enqueueBatchPerSecond(), ref.evalshaPipelinedPerSecond()))
        .add("end to end, jobq.noop", rate(h.endToEndPerSecond()), rate(r.endToEndPerSecond()),
            ratio(h.endToEndPerSecond(), r.endToEndPerSecond()),
            ratio(h.endToEndPerSecond(), ref.evalshaPerSecond()))
        .add("pickup latency p50 / p95 / p99", millis(h.pickupP50Ms(), h.pickupP95Ms(),
            h.pickupP99Ms()), millis(r.pickupP50Ms(), r.pickupP95Ms(), r.pickupP99Ms()),
            ratio(h.pickupP50Ms(), r.pickupP50Ms()) + " (p50)", "")
        .print(out);
  }

  private static String millis(double p50, double p95, double p99) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f ms", p50, p95, p99);
  }

  /** The total, then the largest parts. */
  private static String micros(Map<String, Double> byCommand) {
    double total = byCommand.values().stream().mapToDouble(Double::doubleValue).sum();
    return String.format(Locale.ROOT, "%.1f: ", total) + byCommand.entrySet().stream().limit(7)
        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.1f", e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String names(List<Priority> priorities) {
    return priorities.stream().map(pr -> pr.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(","));
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f jobs/s", perSecond);
  }

  private static String opsCell(String what, Double perSecond) {
    return perSecond == null ? "-" : String.format(Locale.ROOT, "%s: %,.0f/s", what, perSecond);
  }

  private static String ratio(double jobq, Double reference) {
    return reference == null ? "-" : String.format(Locale.ROOT, "%.2f", jobq / reference);
  }

  private static String bytes(double b) {
    return String.format(Locale.ROOT, "%,.0f B", b);
  }
}
