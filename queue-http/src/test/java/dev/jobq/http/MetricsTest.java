package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.Limit;
import dev.jobq.Priority;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.Failure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on a server with tokens: public by default, in the Prometheus format. */
class MetricsTest extends ApiTestBase {
  static final String READER = "read-0123456789abcdef";
  static final Duration LEASE = Duration.ofSeconds(30);

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().tokens("read " + READER, "test").build();
  }

  @Test
  void metricsAnswerWithoutATokenInThePrometheusTextFormat() throws Exception {
    enqueue("mail", Priority.NORMAL, 1);

    HttpResponse<String> r = metrics(null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("# TYPE jobq_queue_jobs gauge");
  }

  @Test
  void jobsByStatusAndPriorityAndTheTotalsRedisCounts() throws Exception {
    enqueue("mail", Priority.NORMAL, 4);
    enqueue("mail", Priority.HIGH, 1);
    List<Job> running = broker.claim("mail", "w1", 3, LEASE);
    broker.complete("mail", running.get(0).id(), running.get(0).token(), null);
    broker.fail("mail", running.get(1).id(), running.get(1).token(), Failure.of("E", "x"),
        Duration.ofMinutes(1));
    broker.release("mail", running.get(2).id(), running.get(2).token());

    Map<String, Double> m = samples(metrics(null).body());

    assertThat(m).containsEntry(jobs("mail", "waiting", "normal"), 3.0)
        .containsEntry(jobs("mail", "waiting", "high"), 0.0)
        .containsEntry(jobs("mail", "delayed", "all"), 1.0)
        .containsEntry(jobs("mail", "completed", "all"), 1.0)
        .containsEntry(jobs("mail", "active", "all"), 0.0)
        .containsEntry("jobq_queue_enqueued_total{queue=\"mail\"}", 5.0)
        .containsEntry("jobq_queue_completed_total{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_queue_failed_attempts_total{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_queue_retried_total{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_queue_released_total{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_queue_stalled_total{queue=\"mail\"}", 0.0)
        .containsEntry("jobq_queue_paused{queue=\"mail\"}", 0.0);
    assertThat(m.get("jobq_queue_oldest_waiting_seconds{queue=\"mail\"}")).isNotNull()
        .isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void pausedLimitedAndLiveWorkersOfEachQueue() throws Exception {
    enqueue("mail", Priority.NORMAL, 2);
    enqueue("idle", Priority.NORMAL, 1);
    broker.pause("idle");
    broker.setLimit("mail", Limit.running("jobq.noop", 1));
    broker.claim("mail", "w1", 2, LEASE);
    broker.claim("mail", "w1", 2, LEASE); // held back by the limit, which the stats then name
    Instant now = broker.now();
    broker.registerWorker(new WorkerInfo("w1", "host-1", 42, List.of("mail"), 4, 1, 0, 0, now,
        now, "running"), Duration.ofMinutes(1));

    Map<String, Double> m = samples(metrics(null).body());

    assertThat(m).containsEntry("jobq_queue_paused{queue=\"idle\"}", 1.0)
        .containsEntry("jobq_queue_limited{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_queue_limited{queue=\"idle\"}", 0.0)
        .containsEntry("jobq_workers{queue=\"mail\"}", 1.0)
        .containsEntry("jobq_workers{queue=\"idle\"}", 0.0);
  }

  /** A queue's depth as Prometheus names it: what an alert or a dashboard asks for. */
  static String jobs(String queue, String status, String priority) {
    return "jobq_queue_jobs{priority=\"" + priority + "\",queue=\"" + queue + "\",status=\""
        + status + "\"}";
  }

  /** Each sample line of the text format, {@code name{labels}} to its value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> m = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return m;
  }

  void enqueue(String queue, Priority priority, int n) {
    for (int i = 0; i < n; i++) {
      client.enqueue(JobRequest.builder("jobq.noop").queue(queue).priority(priority).build());
    }
  }

  HttpResponse<String> metrics(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + basePath() + "/metrics")).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
