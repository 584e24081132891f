package dev.jobq.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@code redis-server} or sentinel process a test has just started, spoken to in raw RESP: it
 * answers before a Jedis pool could be built, and a server that demands AUTH still answers.
 * What {@link TestRedis} and {@link TestSentinel} share.
 */
final class RawServer {
  private RawServer() {}

  /** Sends one command over a connection of its own and returns the answer's first line. */
  static String command(String host, int port, String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(a).append("\r\n");
      }
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return firstLine(s.getInputStream());
    }
  }

  /**
   * Returns once the process answers PING on the port ({@code -NOAUTH} from a server that
   * demands a password counts: it is up). Throws when it exits first, with {@code log}'s words,
   * or does not answer within the timeout, or the wait is interrupted; the process is killed on
   * every way out but success, so that no test leaves a server running.
   */
  static void awaitPing(String what, Process process, String host, int port, Duration timeout,
      Supplier<String> log) throws IOException {
    boolean up = false;
    try {
      pingUntilUp(what, process, host, port, timeout, log);
      up = true;
    } finally {
      if (!up) {
        process.destroyForcibly();
      }
    }
  }

  private static void pingUntilUp(String what, Process process, String host, int port,
      Duration timeout, Supplier<String> log) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(what + " exited with " + process.exitValue() + ": " + log.get());
      }
      try {
        String reply = command(host, port, "PING");
        if (reply.equals("+PONG") || reply.startsWith("-NOAUTH")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(20); // polling a process we just started: there is nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting " + what, e);
      }
    }
    throw new IOException(what + " did not answer PING within " + timeout);
  }

  /** The last lines of a server's log, on one line, for an error message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no " + log.getFileName() + ")";
    }
  }

  private static String firstLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r') {
      line.append((char) c);
    }
    if (c == -1) {
      throw new IOException("connection closed");
    }
    return line.toString();
  }
}
