package dev.jobq.worker;

import dev.jobq.redis.TestJvms;
import java.nio.file.Path;
import java.util.List;

/**
 * Worker JVMs ({@link WorkerProcessMain}) started for one test, each logging to a file of its
 * own under {@code target/worker-processes/}, and all killed by {@link #close()} whatever the
 * test's outcome.
 */
final class WorkerProcesses implements AutoCloseable {
  private final String url;
  private final String prefix;
  private final String queue;
  private final TestJvms jvms;

  WorkerProcesses(String url, String prefix, String queue) {
    this.url = url;
    this.prefix = prefix;
    this.queue = queue;
    this.jvms = new TestJvms(Path.of("target", "worker-processes"), prefix);
  }

  Process launch(String name, int concurrency, long leaseMs, long graceMs) {
    return jvms.launch(name, WorkerProcessMain.class, List.of(url, prefix, queue,
        Integer.toString(concurrency), Long.toString(leaseMs), Long.toString(graceMs), name));
  }

  /** The worker's console output so far: its log lines and the exit line. */
  String log(String name) {
    return jvms.log(name);
  }

  /** Sends a signal by name ("TERM", "STOP", "CONT") with kill(1). */
  static void signal(String name, Process p) {
    TestJvms.signal(name, p);
  }

  @Override
  public void close() {
    jvms.close();
  }
}
