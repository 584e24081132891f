package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import dev.jobq.spi.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Not a timed test but a scripted check ({@code scripts/bench-dashboard}): a queue of 1,000,000
 * waiting jobs and 10,000 failed ones on a redis-server of its own, and the time and size of
 * every API call each dashboard page makes, printed for docs/PERFORMANCE.md. Skipped unless
 * {@code -Ddashboard.bench=true}; {@code -Ddashboard.bench.waiting=N} sets the queue's size.
 */
class DashboardBench {
  static final String QUEUE = "big";
  static final int FAILED = 10_000;
  static final int RUNS = 7;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Each page and the calls it makes when opened (the overview's for one queue). */
  static final String[][] PAGES = {
      {"overview", "queues", "queues/big/stats"},
      {"queue", "queues/big/stats", "queues/big/limits"},
      {"jobs waiting", "queues/big/jobs?limit=50&status=waiting"},
      {"jobs waiting, page 10,000", "queues/big/jobs?limit=50&status=waiting&offset=500000"},
      {"jobs failed", "queues/big/jobs?limit=50&status=failed"},
      {"search failed by error", "queues/big/search?limit=50&q=disk&in=error&status=failed"},
      {"search waiting by id", "queues/big/search?limit=50&q=w-99999&in=id&status=waiting"},
      {"search waiting by part of an id",
          "queues/big/search?limit=50&q=99999&in=id&status=waiting"},
      {"search waiting by error", "queues/big/search?limit=50&q=disk&in=error&status=waiting"},
      {"search any by error", "queues/big/search?limit=50&q=disk&in=error"},
      {"dead letters", "queues/big/dead-letters/groups"},
      {"job", "jobs/f-1", "jobs/f-1/events"},
      {"workers", "workers"},
      {"schedules", "schedules"},
  };

  @Test
  void timesEveryPagesCallsOnABigQueue() throws Exception {
    assumeTrue(Boolean.getBoolean("dashboard.bench"), "run by scripts/bench-dashboard");
    int waiting = Integer.getInteger("dashboard.bench.waiting", 1_000_000);
    try (TestRedis redis = TestRedis.start();
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(redis.url())
            .prefix(TestRedis.uniquePrefix()).build())) {
      JobClient client = JobClient.create(broker);
      long t0 = System.nanoTime();
      fill(client, broker, waiting);
      System.out.printf("filled %,d waiting and %,d failed jobs in %.1f s%n", waiting, FAILED,
          (System.nanoTime() - t0) / 1e9);
      HttpApi api = HttpApi.create(broker, HttpSettings.builder().openAccess().build())
          .start("127.0.0.1", 0, "");
      try {
        String root = "http://127.0.0.1:" + api.port() + "/";
        System.out.printf("static files: %,d bytes%n", staticBytes(root));
        System.out.println("| page | call | median ms | max ms | bytes |");
        System.out.println("|---|---|---|---|---|");
        for (String[] page : PAGES) {
          for (String call : Arrays.copyOfRange(page, 1, page.length)) {
            time(page[0], root + "v1/" + call);
          }
        }
      } finally {
        api.stop();
      }
    }
  }

  /** The failed jobs first (claimed and failed with one of five errors), then the waiting. */
  private static void fill(JobClient client, RedisBroker broker, int waiting) {
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 1; i <= FAILED; i++) {
      batch.add(JobRequest.builder("print").queue(QUEUE).id("f-" + i).maxAttempts(1)
          .payload("{\"n\":" + i + "}").build());
    }
    client.enqueueAll(batch);
    String[] errors = {"disk full", "printer on fire", "timeout after 30s", "no such user",
        "connection refused"};
    for (int done = 0; done < FAILED; ) {
      for (Job job : broker.claim(QUEUE, "bench", 100, Duration.ofMinutes(10))) {
        broker.fail(QUEUE, job.id(), job.token(),
            new Failure("PrintError", errors[done % errors.length], "at Printer.print"), null);
        done++;
      }
    }
    for (int from = 0; from < waiting; from += JobClient.MAX_BATCH) {
      batch.clear();
      for (int i = from; i < Math.min(waiting, from + JobClient.MAX_BATCH); i++) {
        batch.add(JobRequest.builder("print").queue(QUEUE).id("w-" + i)
            .payload("{\"n\":" + i + "}").build());
      }
      client.enqueueAll(batch);
    }
  }

  private static void time(String page, String url) throws Exception {
    long[] ms = new long[RUNS];
    int bytes = 0;
    get(url); // warm: the first call loads classes and scripts
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> answer = get(url);
      ms[i] = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer.statusCode()).as(url).isEqualTo(200);
      bytes = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    Arrays.sort(ms);
    System.out.printf("| %s | GET /v1/%s | %d | %d | %,d |%n", page,
        url.substring(url.indexOf("/v1/") + 4), ms[RUNS / 2], ms[RUNS - 1], bytes);
  }

  /** What a browser fetches once: the page, every file of the dashboard, uPlot. */
  private static long staticBytes(String root) throws Exception {
    Path dir = Path.of(DashboardBench.class.getClassLoader()
        .getResource("dev/jobq/http/dashboard/").toURI());
    long total = get(root).body().length() + get(root + "ui/uplot.js").body().length()
        + get(root + "ui/uplot.css").body().length();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> !f.toString().endsWith(".html")).toList()) {
        total += get(root + "ui/" + f.getFileName()).body().length();
      }
    }
    return total;
  }

  private static HttpResponse<String> get(String url)
      throws IOException, InterruptedException, URISyntaxException {
    return HTTP.send(HttpRequest.newBuilder(new URI(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
