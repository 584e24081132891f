package dev.jobq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobClient;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Runs {@code jobq} in process, as a user would from a shell, against the shared test Redis
 * under a fresh key prefix; also gives the test a client of its own under the same prefix.
 */
final class Cli implements AutoCloseable {
  private final Map<String, String> env = new HashMap<>();
  private RedisBroker broker;

  private Cli(String url, String prefix) {
    env.put("REDIS_URL", url);
    env.put("JOBQ_PREFIX", prefix);
  }

  /** The shared Redis, a new prefix. */
  static Cli fresh() {
    return new Cli(TestRedis.shared().url(), TestRedis.uniquePrefix());
  }

  /** An environment of the caller's own, no Redis behind it unless the caller names one. */
  static Cli withEnv(Map<String, String> env) {
    Cli cli = new Cli(null, null);
    cli.env.clear();
    cli.env.putAll(env);
    return cli;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  String prefix() {
    return env.get("JOBQ_PREFIX");
  }

  Result run(String... args) {
    return run(null, jobq -> {}, args);
  }

  Result runWithStdin(String stdin, String... args) {
    return run(stdin, jobq -> {}, args);
  }

  Result run(String stdin, Consumer<Jobq> setUp, String... args) {
    Jobq jobq = new Jobq(env);
    if (stdin != null) {
      jobq.stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }
    setUp.accept(jobq);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Jobq.commandLine(jobq);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A client on the same Redis and prefix, to set up and check what the commands did. */
  synchronized JobClient client() {
    if (broker == null) {
      broker = RedisBroker.connect(
          RedisConfig.builder().url(env.get("REDIS_URL")).prefix(prefix()).build());
    }
    return JobClient.create(broker);
  }

  RedisBroker broker() {
    client();
    return broker;
  }

  @Override
  public synchronized void close() {
    if (broker != null) {
      broker.close();
    }
  }

  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      return Json.tree(out);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
