package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.redis.TestRedis;
import dev.jobq.redis.TestSentinel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code jobq worker} (or {@code jobq serve}) process whose settings Redis refuses stops at
 * once with exit 1 and one line on stderr, where before a worker retried for ever, logging an
 * outage: waiting cannot fix a wrong password or a URL of the wrong kind.
 */
class RefusedRedisSettingsTest {
  private static TestRedis secured;

  @TempDir Path dir;

  @BeforeAll
  static void startRedis() {
    secured = TestRedis.start("--requirepass", "right-secret");
  }

  @AfterAll
  static void stopRedis() {
    secured.close();
  }

  @Test
  void aWrongPasswordEndsTheWorkerWithOneLineAndExitOne() throws Exception {
    Finished worker = runWorker("redis://:wrong-secret@127.0.0.1:" + secured.port());

    assertThat(worker.exitCode).as(worker.toString()).isEqualTo(1);
    assertThat(worker.err).as(worker.toString()).hasSize(1);
    assertThat(worker.err.get(0)).startsWith("jobq: Redis at redis://:***@127.0.0.1:")
        .contains("refused the credentials").doesNotContain("wrong-secret");
    assertThat(worker.out).as("no start line for a worker that never started").isEmpty();
  }

  @Test
  void aSentinelUrlForAPlainServerEndsTheWorkerWithOneLineAndExitOne() throws Exception {
    Finished worker = runWorker("redis-sentinel://127.0.0.1:" + TestRedis.shared().port() + "/main");

    assertThat(worker.exitCode).as(worker.toString()).isEqualTo(1);
    assertThat(worker.err).as(worker.toString()).hasSize(1);
    assertThat(worker.err.get(0)).contains("is not a Sentinel").contains("redis://host:port");
  }

  @Test
  void aPlainUrlForASentinelEndsTheWorkerNamingTheSentinelUrl() throws Exception {
    try (TestSentinel sentinel = TestSentinel.start("main", TestRedis.shared().port(), 1)) {
      Finished worker = runWorker("redis://" + sentinel.address());

      assertThat(worker.exitCode).as(worker.toString()).isEqualTo(1);
      assertThat(worker.err).as(worker.toString()).hasSize(1);
      assertThat(worker.err.get(0)).contains("is a Sentinel, not a server")
          .contains("redis-sentinel://127.0.0.1:" + sentinel.port() + "/<master-name>");
    }
  }

  @Test
  void aClusterUrlForAPlainServerEndsTheWorkerWithOneLineAndExitOne() throws Exception {
    Finished worker = runWorker("redis-cluster://127.0.0.1:" + TestRedis.shared().port());

    assertThat(worker.exitCode).as(worker.toString()).isEqualTo(1);
    assertThat(worker.err).as(worker.toString()).hasSize(1);
    assertThat(worker.err.get(0)).contains("is one server, not a Redis Cluster node")
        .contains("redis://127.0.0.1:" + TestRedis.shared().port());
  }

  private record Finished(int exitCode, List<String> out, List<String> err) {}

  @Test
  void aWrongPasswordEndsServeWithOneLineAndExitOne() throws Exception {
    Finished serve = run("redis://:wrong-secret@127.0.0.1:" + secured.port(), "serve", "--port", "0");

    assertThat(serve.exitCode).as(serve.toString()).isEqualTo(1);
    assertThat(serve.err).as(serve.toString()).hasSize(1);
    assertThat(serve.err.get(0)).contains("refused the credentials");
  }

  private Finished runWorker(String url) throws IOException, InterruptedException {
    return run(url, "worker");
  }

  private Finished run(String url, String... command) throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> line = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Jobq.class.getName(),
        "--redis-url", url, "--prefix", TestRedis.uniquePrefix()));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("jobq " + command[0] + " still runs after 60 s: "
          + Files.readString(err));
    }
    return new Finished(p.exitValue(), lines(out), lines(err));
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank()).toList();
  }
}
