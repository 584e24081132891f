package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import dev.jobq.redis.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/agent.py, run for real: a {@code jobq serve} process over a real redis-server,
 * and python3 agent processes working its queue over HTTP. An agent killed mid-job loses its
 * lease; the server reaps it and another agent does the job's second attempt.
 */
class PythonAgentTest {
  static final Path AGENT = Path.of("..", "docs", "examples", "agent.py").toAbsolutePath();
  static final Path LOGS = Path.of("target", "python-agent");
  static final String TOKEN = "agent-test-token-0123456789abcdef";
  static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:\\d+)/v1");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<Process> processes = new ArrayList<>();
  private String prefix;
  private String base;

  @BeforeEach
  void startServer() throws Exception {
    assumeTrue(pythonFound() || Boolean.getBoolean("redis.required"),
        "python3 is not installed (scripts/test installs it)");
    prefix = TestRedis.uniquePrefix();
    Process serve = start("serve", List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Jobq.class.getName(),
        "--redis-url", TestRedis.shared().url(), "--prefix", prefix,
        "serve", "--port", "0", "--bind", "127.0.0.1"));
    base = await().atMost(Duration.ofSeconds(30)).until(() -> listening(serve), a -> a != null)
        + "/v1";
  }

  @AfterEach
  void stopProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void serveNamesItsDocsPageAndDashboardWhichAnswer() throws Exception {
    Matcher m = Pattern.compile("\\(docs (\\S+), dashboard (\\S+);").matcher(log("serve"));
    assertThat(m.find()).as(log("serve")).isTrue();
    assertThat(m.group(1)).isEqualTo(base + "/docs");
    assertThat(m.group(2)).isEqualTo(base.substring(0, base.length() - "/v1".length()) + "/");
    for (String page : List.of(m.group(1), m.group(2))) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(page)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(page)
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }
  }

  @Test
  void aKilledAgentsJobIsDoneByAnotherAgentOnItsSecondAttempt() throws Exception {
    Process first = agent("agent-a");
    enqueue("{\"type\":\"sleep\",\"id\":\"long\",\"payload\":{\"seconds\":5},"
        + "\"maxAttempts\":3,\"backoff\":\"fixed:100ms\"}");

    // three seconds of progress under a 2 s lease: the heartbeats kept it
    JsonNode running = awaitJob("long", j -> j.get("status").asText().equals("active")
        && j.get("progress").isObject() && j.get("progress").get("done").asInt() >= 3);
    assertThat(running.get("worker").asText()).isEqualTo("agent-a");
    assertThat(running.get("attempt").asInt()).isEqualTo(1);
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    agent("agent-b");

    JsonNode done = awaitJob("long", j -> j.get("status").asText().equals("completed"));
    assertThat(done.get("attempt").asInt()).isEqualTo(2);
    assertThat(done.get("worker").asText()).isEqualTo("agent-b");
    assertThat(done.get("result").get("worker").asText()).isEqualTo("agent-b");
  }

  @Test
  void anAgentCompletesAndFailsJobsAndReleasesItsJobOnSigterm() throws Exception {
    Process agent = agent("agent-c");
    enqueue("[{\"type\":\"echo\",\"id\":\"e1\",\"payload\":{\"hello\":\"world\"}},"
        + "{\"type\":\"fail\",\"id\":\"f1\",\"payload\":{\"message\":\"boom\",\"retryIn\":null},"
        + "\"maxAttempts\":3},"
        + "{\"type\":\"unknown.kind\",\"id\":\"u1\",\"maxAttempts\":1}]");

    JsonNode echoed = awaitJob("e1", j -> j.get("status").asText().equals("completed"));
    JsonNode failed = awaitJob("f1", j -> j.get("status").asText().equals("failed"));
    JsonNode unknown = awaitJob("u1", j -> j.get("status").asText().equals("failed"));

    assertThat(echoed.get("result")).isEqualTo(Json.tree("{\"hello\":\"world\"}"));
    assertThat(failed.get("attempt").asInt()).isEqualTo(1); // retryIn null: no retry
    assertThat(failed.get("errorClass").asText()).isEqualTo("JobError");
    assertThat(failed.get("error").asText()).contains("boom");
    assertThat(unknown.get("error").asText()).contains("no handler for type 'unknown.kind'");

    enqueue("{\"type\":\"sleep\",\"id\":\"s1\",\"payload\":{\"seconds\":60}}");
    awaitJob("s1", j -> j.get("status").asText().equals("active"));

    new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor();
    assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as(log("agent-c")).isTrue();
    assertThat(agent.exitValue()).as(log("agent-c")).isZero();
    assertThat(log("agent-c")).contains("released s1 (stopping)").contains("stopped");
    assertThat(job("s1").get("status").asText()).isEqualTo("waiting"); // not left leased
  }

  private Process agent(String worker) {
    return start(worker, List.of("python3", AGENT.toString(), base.replace("/v1", ""), "work",
        worker, "--lease", "2s", "--wait", "2s"));
  }

  private Process start(String name, List<String> command) {
    Path log = LOGS.resolve(prefix + "-" + name + ".log");
    try {
      Files.createDirectories(LOGS);
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      // a token for the server to accept once it checks them, and for the agent to send
      pb.environment().putAll(Map.of("JOBQ_HTTP_TOKENS", "admin " + TOKEN, "JOBQ_TOKEN", TOKEN));
      Process p = pb.start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private String log(String name) {
    try {
      return Files.readString(LOGS.resolve(prefix + "-" + name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String listening(Process serve) {
    assertThat(serve.isAlive()).as(log("serve")).isTrue();
    Matcher m = LISTENING.matcher(log("serve"));
    return m.find() ? m.group(1) : null;
  }

  private void enqueue(String body) throws Exception {
    HttpResponse<String> r = HTTP.send(request("/queues/work/jobs")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private JsonNode awaitJob(String id, java.util.function.Predicate<JsonNode> until) {
    return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
        .until(() -> job(id), until::test);
  }

  private JsonNode job(String id) throws Exception {
    HttpResponse<String> r = HTTP.send(request("/jobs/" + id).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.tree(r.body());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10));
  }

  private static boolean pythonFound() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
