package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.http.HttpApi;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestPrometheus;
import dev.jobq.redis.TestRedis;
import dev.jobq.worker.Worker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus ({@link TestPrometheus}) scrapes a fleet as an operator runs one: the
 * server's {@code /metrics} (an {@link HttpApi}, as {@code jobq serve} starts it) and a worker's
 * (a {@link Worker} with the {@link WorkerMetrics} that {@code jobq worker --metrics-port} gives
 * it), each over a Redis connection of its own; its query API answers the jobs the worker
 * completed and the depth of a queue no worker serves.
 */
class PrometheusFleetTest {
  // generous: Prometheus starts, then scrapes every second, on two cores shared with the build
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int COMPLETED = 5;
  private static final int HELD = 3;

  @TempDir
  Path dir;
  private final String prefix = TestRedis.uniquePrefix();
  private RedisBroker serverBroker;
  private RedisBroker workerBroker;
  private HttpApi api;
  private WorkerMetrics metrics;
  private Worker worker;
  private TestPrometheus prometheus;

  @BeforeEach
  void startFleet() {
    TestPrometheus.assumeInstalled();
    serverBroker = connect();
    api = HttpApi.create(serverBroker).start("127.0.0.1", 0, "");
    workerBroker = connect();
    metrics = WorkerMetrics.start("127.0.0.1", 0);
    worker = Worker.builder(workerBroker).queues("work").concurrency(2).name("w-fleet")
        .listener(metrics.listener()).build();
    worker.start();
  }

  @AfterEach
  void stopFleet() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (worker != null) {
      worker.shutdown();
      worker.awaitTermination(WAIT);
    }
    if (metrics != null) {
      metrics.close();
    }
    if (api != null) {
      api.stop();
    }
    for (RedisBroker b : new RedisBroker[] {workerBroker, serverBroker}) {
      if (b != null) {
        b.close();
      }
    }
  }

  @Test
  void prometheusAsksTheWorkerForCompletedJobsAndTheServerForAQueuesDepth() throws Exception {
    JobClient client = JobClient.create(serverBroker);
    for (int i = 0; i < COMPLETED; i++) {
      client.enqueue(JobRequest.builder("jobq.noop").queue("work").build());
    }
    for (int i = 0; i < HELD; i++) {
      client.enqueue(JobRequest.builder("jobq.noop").queue("held").build());
    }
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(client.stats("work").completed()).isEqualTo(COMPLETED));

    prometheus = TestPrometheus.start(dir, Map.of(
        "jobq-serve", "127.0.0.1:" + api.port(),
        "jobq-worker", "127.0.0.1:" + URI.create(metrics.url()).getPort()), List.of());

    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
        prometheus.value("sum(jobq_jobs_total{job=\"jobq-worker\",outcome=\"completed\"})"))
        .hasValue((double) COMPLETED));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
        prometheus.value("sum(jobq_queue_jobs{job=\"jobq-serve\",queue=\"held\","
            + "status=\"waiting\"})"))
        .hasValue((double) HELD));
    assertThat(prometheus.value("count(up == 1)")).as("both scrapes succeed")
        .hasValue(2.0);
    assertThat(prometheus.value("sum(jobq_jobs_total{job=\"jobq-worker\",queue=\"held\"})"))
        .as("the worker ran nothing from the queue it does not serve").isEmpty();
  }

  private RedisBroker connect() {
    return RedisBroker.connect(RedisConfig.builder().url(TestRedis.shared().url())
        .prefix(prefix).build());
  }
}
