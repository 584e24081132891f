package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobHandlerProvider;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.internal.Json;
import dev.jobq.redis.TestRedis;
import dev.jobq.worker.Worker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobq worker} in process, on a thread of its own. The command hands the test its
 * {@link Worker} before running it, and the test stops it with {@link Worker#shutdown()}, the
 * same graceful stop that SIGTERM starts.
 */
class WorkerCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Cli cli = Cli.fresh();
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final AtomicReference<Worker> worker = new AtomicReference<>();

  @AfterEach
  void stop() {
    Worker w = worker.get();
    if (w != null) {
      w.shutdown();
    }
    thread.shutdownNow();
    cli.close();
  }

  @Test
  void runsJobsUntilStoppedThenExitsZero() throws Exception {
    List<String> echoes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      echoes.add(cli.run("enqueue", "jobq.echo", "--payload", "{\"n\":" + i + "}", "--quiet")
          .out().trim());
      cli.run("enqueue", "jobq.noop");
    }

    Future<Cli.Result> running = start("worker", "--queues", "default", "--concurrency", "2",
        "--name", "w-test", "--shutdown-grace", "1s");

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cli.client().stats("default").completed()).isEqualTo(6));
    assertThat(Json.tree(cli.client().require("default", echoes.get(2)).result()).get("n").asInt())
        .isEqualTo(2);
    Cli.Result r = stopWorker(running);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualToIgnoringNewLines("jobq worker w-test starting: redis "
        + TestRedis.shared().url() + ", prefix " + cli.prefix() + ", queues default,"
        + " concurrency 2, lease 30s, timeout 10m, shutdown grace 1s");
    assertThat(cli.client().workers()).isEmpty();
  }

  @Test
  void takesItsSettingsFromTheEnvironmentAndFlagsWin() throws Exception {
    cli.env("JOBQ_QUEUES", "high:3,low:1").env("JOBQ_CONCURRENCY", "3")
        .env("JOBQ_WORKER_NAME", "w-env").env("JOBQ_LEASE", "6s")
        .env("JOBQ_SHUTDOWN_GRACE", "1s");

    Future<Cli.Result> running = start("run_worker", "--name", "w-flag");

    await().atMost(WAIT).untilAsserted(() -> assertThat(cli.client().workers())
        .singleElement()
        .satisfies(w -> {
          assertThat(w.id()).isEqualTo("w-flag");
          assertThat(w.concurrency()).isEqualTo(3);
          assertThat(w.queues()).containsExactly("high", "low");
        }));
    Cli.Result r = stopWorker(running);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("queues high:3,low:1 (weighted), concurrency 3, lease 6s");
  }

  @Test
  void loadsHandlersFromTheJarsOfTheHandlerPath(@TempDir Path dir) throws Exception {
    ServiceJar.write(dir.resolve("handlers.jar"), JobHandlerProvider.class,
        TestHandlers.class);
    cli.client().enqueue(JobRequest.builder("test.upper").id("up-1").payload("\"abc\"").build());

    Future<Cli.Result> running = start("worker", "--handler-path", dir.toString(),
        "--shutdown-grace", "1s");

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cli.client().require("default", "up-1").status())
            .isEqualTo(JobStatus.COMPLETED));
    assertThat(cli.client().require("default", "up-1").result()).isEqualTo("\"ABC\"");
    assertThat(stopWorker(running).exitCode()).isZero();
  }

  @Test
  void servesItsMetricsForPrometheusOnTheMetricsPort() throws Exception {
    int port = freePort();
    cli.env("JOBQ_METRICS_PORT", String.valueOf(port));
    cli.run("enqueue", "jobq.noop");
    cli.run("enqueue", "jobq.noop");

    Future<Cli.Result> running = start("worker", "--name", "w-metrics", "--shutdown-grace", "1s");

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cli.client().stats("default").completed()).isEqualTo(2));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> scrape = await().atMost(WAIT).until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()), r -> r.body().contains(
            "jobq_jobs_total{outcome=\"completed\",queue=\"default\",type=\"jobq.noop\"} 2"));
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("jobq_job_wait_seconds_count{queue=\"default\","
        + "type=\"jobq.noop\"} 2", "jobq_worker_concurrency 4", "jvm_memory_used_bytes",
        "process_cpu_usage");
    Cli.Result r = stopWorker(running);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("metrics http://127.0.0.1:" + port + "/metrics");
    // the endpoint stops with the worker
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void aTakenMetricsPortFailsBeforeTheWorkerStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli.Result r = cli.run("worker", "--metrics-port", String.valueOf(taken.getLocalPort()));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
          .contains("pick another --metrics-port");
      assertThat(cli.client().workers()).isEmpty();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void warnsWhenRedisMayEvictJobs() throws Exception {
    try (TestRedis evicting = TestRedis.start("--maxmemory-policy", "allkeys-lru",
        "--appendonly", "yes")) {
      cli.env("REDIS_URL", evicting.url());

      Future<Cli.Result> running = start("worker", "--shutdown-grace", "0s");
      Cli.Result r = stopWorker(running);

      assertThat(r.exitCode()).isZero();
      assertThat(r.err()).isEqualToIgnoringNewLines("jobq: warning: Redis maxmemory-policy is"
          + " allkeys-lru: under memory pressure Redis may evict job keys and lose jobs; set it"
          + " to noeviction");
    }
  }

  @Test
  void badSettingsAreUsageErrorsAndStartNothing() {
    assertUsageError(cli.run("worker", "--concurrency", "0"), "concurrency");
    assertUsageError(cli.run("worker", "--queues", "a:x"), "weight 'x' is not a whole number");
    assertUsageError(cli.run("worker", "--queues", "a,b:2"), "some queues have a weight");
    assertUsageError(cli.run("worker", "--handler-path", "/no/such/dir"), "does not exist");
    assertUsageError(cli.run("worker", "--log-level", "loud"), "invalid log level 'loud'");
    assertUsageError(cli.run("worker", "--lease", "soon"), "invalid duration 'soon'");
    assertUsageError(cli.run("worker", "--metrics-port", "70000"), "invalid metrics port 70000");
    assertUsageError(Cli.withEnv(Map.of("JOBQ_CONCURRENCY", "many")).run("worker"),
        "invalid JOBQ_CONCURRENCY 'many'");
    assertThat(worker.get()).isNull();
  }

  private Future<Cli.Result> start(String... args) {
    return thread.submit(() -> cli.run(null, jobq -> jobq.onWorkerStarting(worker::set), args));
  }

  private Cli.Result stopWorker(Future<Cli.Result> running) throws Exception {
    await().atMost(WAIT).until(() -> worker.get() != null);
    worker.get().shutdown();
    return running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void assertUsageError(Cli.Result r, String message) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).startsWith("jobq: ").contains(message);
  }
}
