package dev.jobq.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The worker JVMs ({@link ChaosWorker}) of one scenario, each logging to a file of its own under
 * {@code target/chaos/}; {@link #close()} kills whatever is left, whatever the test's outcome.
 */
final class Fleet implements AutoCloseable {
  /** How a worker reaches Redis and what it believes the time is. */
  record Setup(String brokerUrl, int concurrency, long leaseMs, long clockOffsetMs) {}

  private final String ledgerUrl;
  private final String prefix;
  private final String queue;
  private final Map<String, Process> byName = new LinkedHashMap<>();
  private final List<Process> all = new ArrayList<>();
  private final Set<String> replaced = new HashSet<>();

  Fleet(String ledgerUrl, String prefix, String queue) {
    this.ledgerUrl = ledgerUrl;
    this.prefix = prefix;
    this.queue = queue;
  }

  Process launch(String name, Setup s) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = logFile(name);
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(java.toString(),
          "-Xmx256m",
          "-XX:TieredStopAtLevel=1", // starts faster; these workers live for seconds
          "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
          "-cp", System.getProperty("java.class.path"),
          ChaosWorker.class.getName(), s.brokerUrl(), ledgerUrl, prefix, queue,
          Integer.toString(s.concurrency()), Long.toString(s.leaseMs()),
          Long.toString(s.clockOffsetMs()), name)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      byName.put(name, p);
      all.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker JVM " + name, e);
    }
  }

  Process process(String name) {
    return byName.get(name);
  }

  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The worker's console output so far: its log lines and its exit line. */
  String log(String name) {
    try {
      return Files.readString(logFile(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path logFile(String name) {
    return Path.of("target", "chaos", prefix + "-" + name + ".log");
  }

  /**
   * Starts a new worker, named after the old one, for each that has exited: what a supervisor
   * (systemd, Kubernetes, compose's restart policy) does. Returns how many it replaced.
   */
  int replaceExited(Setup setup) {
    int n = 0;
    for (String name : List.copyOf(byName.keySet())) {
      if (!byName.get(name).isAlive() && replaced.add(name)) {
        launch(name.replaceAll("\\..*", "") + "." + all.size(), setup);
        n++;
      }
    }
    return n;
  }

  /** kill -9, and waits until the process is gone. */
  void kill(String name) {
    Process p = byName.get(name);
    p.destroyForcibly();
    awaitExit(p);
  }

  /** Sends a signal by name ("STOP", "CONT", "TERM") with kill(1). */
  void signal(String signal, String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(byName.get(name).pid()))
          .inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " of worker " + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitExit(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + p.pid() + " outlived kill -9 by 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of every worker still alive, stopped ones included. */
  @Override
  public void close() {
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
