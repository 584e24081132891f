package dev.jobq.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for tests, started on a free port in a temporary directory and
 * stopped when the JVM exits. {@link #shared()} is one server for a whole test JVM (tests keep
 * apart by key prefix, {@link #uniquePrefix()}); {@link #start} gives a test a server of its
 * own that it may kill, freeze and restart.
 *
 * <p>Where no {@code redis-server} binary exists but a Docker engine does, {@link #shared()}
 * uses a Testcontainers Redis instead. When neither works the test is skipped, unless the
 * system property {@code redis.required=true} is set (as {@code scripts/test} does): then it
 * fails, so that CI can never pass without having run the Redis tests.
 */
public final class TestRedis implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static TestRedis shared;

  private final List<String> extraArgs;
  private final Path dir;
  private final int port;
  private final AutoCloseable container;
  private Process process;

  private TestRedis(List<String> extraArgs, Path dir, int port, AutoCloseable container) {
    this.extraArgs = extraArgs;
    this.dir = dir;
    this.port = port;
    this.container = container;
  }

  /** The server shared by every test of this JVM. */
  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = binary() != null ? start() : startContainer();
      TestRedis s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-redis-stop"));
    }
    return shared;
  }

  /** A server of the caller's own, with extra {@code redis-server} arguments ("--appendonly", "yes"). */
  public static TestRedis start(String... extraArgs) {
    String binary = binary();
    if (binary == null) {
      unavailable("redis-server was not found on PATH", null);
    }
    try {
      Path dir = Files.createTempDirectory("jobq-redis-");
      TestRedis redis = new TestRedis(List.of(extraArgs), dir, freePort(), null);
      redis.launch();
      return redis;
    } catch (IOException e) {
      unavailable("could not start redis-server", e);
      throw new AssertionError(e);
    }
  }

  /** A fresh key prefix, so that tests sharing a server never see each other's keys. */
  public static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String host() {
    return container != null ? "localhost" : "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT} */
  public String url() {
    return "redis://" + host() + ":" + port;
  }

  public Path dir() {
    return dir;
  }

  /** The server's process id, for tests that send it signals. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("this Redis runs in a container; it has no local pid");
    }
    return process.pid();
  }

  public boolean isRunning() {
    return process != null ? process.isAlive() : container != null;
  }

  /** Stops the server the hard way (SIGKILL): nothing is flushed that was not already. */
  public void kill() {
    requireProcess();
    process.destroyForcibly();
    waitFor(process);
  }

  /** Stops the server politely (SIGTERM): it flushes its append-only file first. */
  public void stop() {
    requireProcess();
    process.destroy();
    waitFor(process);
  }

  /** Starts the server again on the same port and directory, after {@link #kill} or {@link #stop}. */
  public void restart() {
    requireProcess();
    if (process.isAlive()) {
      stop();
    }
    try {
      launch();
    } catch (IOException e) {
      throw new IllegalStateException("could not restart redis-server on port " + port, e);
    }
  }

  /** Sends one command over a raw connection and returns the first line of the answer. */
  public String command(String... args) throws IOException {
    return RawServer.command(host(), port, args);
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitFor(process);
    }
    if (container != null) {
      try {
        container.close();
      } catch (Exception ignored) {
        // the JVM is on its way out; Testcontainers' reaper removes the container anyway
      }
    }
    deleteDir();
  }

  private void deleteDir() {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", "", "--appendonly", "no",
        "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    RawServer.awaitPing("redis-server", process, host(), port, START_TIMEOUT,
        () -> RawServer.tail(dir.resolve("redis.log")));
  }

  private static TestRedis startContainer() {
    try {
      if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
        unavailable("redis-server was not found on PATH and no Docker engine is running", null);
      }
      @SuppressWarnings("resource")
      org.testcontainers.containers.GenericContainer<?> c =
          new org.testcontainers.containers.GenericContainer<>("redis:7-alpine")
              .withExposedPorts(6379);
      c.start();
      return new TestRedis(List.of(), null, c.getMappedPort(6379), c::stop);
    } catch (RuntimeException | LinkageError e) {
      unavailable("could not start a Testcontainers Redis", e);
      throw new AssertionError(e);
    }
  }

  private static void unavailable(String why, Throwable cause) {
    String message = why + ": install it (apt-get install redis-server) or run scripts/test";
    if (Boolean.getBoolean("redis.required")) {
      throw new IllegalStateException(message + " (redis.required=true)", cause);
    }
    Assumptions.abort(message);
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private void requireProcess() {
    if (process == null) {
      throw new IllegalStateException("this Redis runs in a container; start one with TestRedis.start()");
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
