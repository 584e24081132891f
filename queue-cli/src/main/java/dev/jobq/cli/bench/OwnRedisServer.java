package dev.jobq.cli.bench;

import dev.jobq.cli.CommandFailed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of {@code jobq bench --start-redis}: on a free port of 127.0.0.1, in a
 * temporary directory, persisting nothing, stopped by {@link #close}.
 */
public final class OwnRedisServer implements AutoCloseable {
  private static final long START_DEADLINE_MS = 10_000;

  private final Process process;
  private final Path dir;
  private final int port;

  private OwnRedisServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  public static OwnRedisServer start() {
    try {
      return start(freePort(), List.of());
    } catch (IOException e) {
      throw new CommandFailed("could not start redis-server (" + e.getMessage() + "): install it"
          + " (apt-get install redis-server) or give --redis-url instead of --start-redis");
    }
  }

  /** A server on the port, with the settings given after the bench's own. */
  static OwnRedisServer start(int port, List<String> settings) throws IOException {
    Path dir = Files.createTempDirectory("jobq-bench-redis");
    List<String> command = new ArrayList<>(List.of("redis-server", "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "",
        "--appendonly", "no", "--logfile", dir.resolve("redis.log").toString()));
    command.addAll(settings);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    OwnRedisServer server = new OwnRedisServer(process, dir, port);
    server.awaitPong();
    return server;
  }

  boolean alive() {
    return process.isAlive();
  }

  int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitPong() throws IOException {
    long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        String log = logTail();
        close();
        throw new Exited("the redis-server on port " + port + " exited with "
            + process.exitValue() + ": " + log);
      }
      if (answersPing()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while it started");
      }
    }
    close();
    throw new IOException("it did not answer PING within " + START_DEADLINE_MS + " ms");
  }

  /** A server that exited as it started: often because another process took its port. */
  static final class Exited extends IOException {
    Exited(String message) {
      super(message);
    }
  }

  /** The log's last two lines, which say why it stopped: it goes with the directory. */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private boolean answersPing() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
