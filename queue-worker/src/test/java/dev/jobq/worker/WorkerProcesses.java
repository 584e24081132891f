package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs ({@link WorkerProcessMain}) started for one test, each logging to a file of its
 * own, and all killed by {@link #close()} whatever the test's outcome.
 */
final class WorkerProcesses implements AutoCloseable {
  private final String url;
  private final String prefix;
  private final String queue;
  private final List<Process> started = new ArrayList<>();

  WorkerProcesses(String url, String prefix, String queue) {
    this.url = url;
    this.prefix = prefix;
    this.queue = queue;
  }

  Process launch(String name, int concurrency, long leaseMs, long graceMs) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = logFile(name);
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(java.toString(),
          "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
          "-XX:TieredStopAtLevel=1", // starts faster; these workers run for seconds
          "-cp", System.getProperty("java.class.path"),
          WorkerProcessMain.class.getName(), url, prefix, queue, Integer.toString(concurrency),
          Long.toString(leaseMs), Long.toString(graceMs), name)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker JVM " + name, e);
    }
  }

  /** The worker's console output so far: its log lines and the exit line. */
  String log(String name) {
    try {
      return Files.readString(logFile(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path logFile(String name) {
    return Path.of("target", "worker-processes", prefix + "-" + name + ".log");
  }

  /** Sends a signal by name ("TERM", "STOP", "CONT") with kill(1). */
  static void signal(String name, Process p) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid()))
          .inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).as("kill -" + name + " " + p.pid()).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of every worker still alive, and waits for each to be gone. */
  @Override
  public void close() {
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
