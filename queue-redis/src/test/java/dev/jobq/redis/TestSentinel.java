package dev.jobq.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A real Redis Sentinel for tests, on a free port with a configuration of its own: Debian's
 * {@code redis-sentinel}, or {@code redis-server --sentinel} where only the server is installed
 * (it is the same program). It watches one master, declares it down after a second of silence
 * and gives a failover five seconds.
 */
public final class TestSentinel implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final Process process;

  private TestSentinel(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** A sentinel watching the master at 127.0.0.1:{@code masterPort} as {@code masterName}. */
  public static TestSentinel start(String masterName, int masterPort, int quorum) {
    try {
      Path dir = Files.createTempDirectory("jobq-sentinel-");
      int port = freePort();
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n",
          "port " + port,
          "bind 127.0.0.1",
          "daemonize no",
          "dir " + dir,
          "logfile " + dir.resolve("sentinel.log"),
          "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " " + quorum,
          "sentinel down-after-milliseconds " + masterName + " 1000",
          "sentinel failover-timeout " + masterName + " 5000",
          ""));
      Process p = new ProcessBuilder(command(conf)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      RawServer.awaitPing("the sentinel", p, "127.0.0.1", port, START_TIMEOUT,
          () -> RawServer.tail(dir.resolve("stdout.log")) + " "
              + RawServer.tail(dir.resolve("sentinel.log")));
      return new TestSentinel(dir, port, p);
    } catch (IOException e) {
      throw new IllegalStateException("could not start a Redis Sentinel: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code host:port}, as a Sentinel URL lists it. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Sends one command and returns the answer's first line. */
  public String command(String... args) throws IOException {
    return RawServer.command("127.0.0.1", port, args);
  }

  /** The port of the master this sentinel names now, as a string; null while it names none. */
  public String masterPort(String masterName) {
    try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
      List<String> hostAndPort = sentinel.sentinelGetMasterAddrByName(masterName);
      return hostAndPort == null || hostAndPort.size() < 2 ? null : hostAndPort.get(1);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private static List<String> command(Path conf) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, "redis-sentinel"))) {
        return List.of(Path.of(dir, "redis-sentinel").toString(), conf.toString());
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, "redis-server"))) {
        return new ArrayList<>(List.of(Path.of(dir, "redis-server").toString(), conf.toString(),
            "--sentinel"));
      }
    }
    if (Boolean.getBoolean("redis.required")) {
      throw new IllegalStateException("neither redis-sentinel nor redis-server is on PATH"
          + " (redis.required=true): run scripts/test");
    }
    Assumptions.abort("neither redis-sentinel nor redis-server is on PATH: install redis-sentinel");
    throw new AssertionError();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
