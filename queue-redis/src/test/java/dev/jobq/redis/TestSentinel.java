package dev.jobq.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

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
      TestSentinel sentinel = new TestSentinel(dir, port, p);
      sentinel.awaitPing();
      return sentinel;
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
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(a).append("\r\n");
      }
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return readLine(s.getInputStream());
    }
  }

  /** The port of the master this sentinel names now, as a string. */
  public String masterPort(String masterName) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      s.setSoTimeout(5_000);
      String req = "*3\r\n$8\r\nSENTINEL\r\n$23\r\nget-master-addr-by-name\r\n$"
          + masterName.length() + "\r\n" + masterName + "\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      if (!readLine(in).equals("*2")) {
        return null;
      }
      readLine(in);
      readLine(in); // host
      readLine(in);
      return readLine(in);
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

  private void awaitPing() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the sentinel exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("stdout.log")) + " "
            + (Files.exists(dir.resolve("sentinel.log")) ? Files.readString(dir.resolve("sentinel.log")) : ""));
      }
      try {
        if (command("PING").equals("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(20); // polling a process we just started: there is nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting the sentinel", e);
      }
    }
    process.destroyForcibly();
    throw new IOException("the sentinel did not answer PING within " + START_TIMEOUT);
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

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r') {
      line.append((char) c);
    }
    if (c == -1) {
      throw new IOException("connection closed");
    }
    in.read(); // '\n'
    return line.toString();
  }
}
