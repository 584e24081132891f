package dev.jobq.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JVMs of a main class on the test's own classpath, each logging to a file of its own, all
 * killed by {@link #close()} whatever the test's outcome: the worker processes of the
 * multi-process tests and of the chaos suite.
 */
public final class TestJvms implements AutoCloseable {
  private final Path logDir;
  private final String logPrefix;
  private final List<Process> started = new ArrayList<>();

  /** Logs go to {@code logDir/logPrefix-NAME.log}. */
  public TestJvms(Path logDir, String logPrefix) {
    this.logDir = logDir;
    this.logPrefix = logPrefix;
  }

  public Process launch(String name, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:TieredStopAtLevel=1", // starts faster; these JVMs live for seconds
        "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Path log = logFile(name);
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start JVM " + name, e);
    }
  }

  /** The JVM's console output so far. */
  public String log(String name) {
    try {
      return Files.readString(logFile(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path logFile(String name) {
    return logDir.resolve(logPrefix + "-" + name + ".log");
  }

  /** Sends a signal by name ("TERM", "STOP", "CONT") with kill(1). */
  public static void signal(String signal, Process p) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
          .inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9, and waits until the process is gone. */
  public static void kill(Process p) {
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + p.pid() + " outlived kill -9 by 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of every JVM still alive, stopped ones included, and waits for each to be gone. */
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
