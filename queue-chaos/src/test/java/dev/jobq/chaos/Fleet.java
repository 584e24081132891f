package dev.jobq.chaos;

import dev.jobq.redis.TestJvms;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  private final TestJvms jvms;
  private final Map<String, Process> byName = new LinkedHashMap<>();
  private final Set<String> replaced = new HashSet<>();

  Fleet(String ledgerUrl, String prefix, String queue) {
    this.ledgerUrl = ledgerUrl;
    this.prefix = prefix;
    this.queue = queue;
    this.jvms = new TestJvms(Path.of("target", "chaos"), prefix);
  }

  Process launch(String name, Setup s) {
    Process p = jvms.launch(name, ChaosWorker.class, List.of(s.brokerUrl(), ledgerUrl, prefix,
        queue, Integer.toString(s.concurrency()), Long.toString(s.leaseMs()),
        Long.toString(s.clockOffsetMs()), name));
    byName.put(name, p);
    return p;
  }

  Process process(String name) {
    return byName.get(name);
  }

  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The worker's console output so far: its log lines and its exit line. */
  String log(String name) {
    return jvms.log(name);
  }

  /**
   * Starts a new worker, named after the old one, for each that has exited: what a supervisor
   * (systemd, Kubernetes, compose's restart policy) does. Returns how many it replaced.
   */
  int replaceExited(Setup setup) {
    int n = 0;
    for (String name : List.copyOf(byName.keySet())) {
      if (!byName.get(name).isAlive() && replaced.add(name)) {
        launch(name.replaceAll("\\..*", "") + "." + byName.size(), setup);
        n++;
      }
    }
    return n;
  }

  /** kill -9, and waits until the process is gone. */
  void kill(String name) {
    TestJvms.kill(byName.get(name));
  }

  /** Sends a signal by name ("STOP", "CONT", "TERM") with kill(1). */
  void signal(String signal, String name) {
    TestJvms.signal(signal, byName.get(name));
  }

  /** kill -9 of every worker still alive, stopped ones included. */
  @Override
  public void close() {
    jvms.close();
  }
}
