package dev.jobq.cli.bench;

import dev.jobq.redis.RedisTools;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis's own counters from INFO, read from every node that holds queues (each master of a
 * cluster, the one server otherwise), with this JVM's CPU time and the wall clock beside them:
 * the bench reads them before and after a phase and divides what grew by the jobs.
 */
final class RedisCounters {
  /** One node's counters: calls and µs by command. */
  record Node(long memory, double cpuSeconds, Map<String, Long> calls, Map<String, Long> micros) {
    static final Node ZERO = new Node(0, 0, Map.of(), Map.of());

    Node plus(Node other) {
      return new Node(memory + other.memory, cpuSeconds + other.cpuSeconds,
          sum(calls, other.calls), sum(micros, other.micros));
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
      Map<String, Long> sum = new LinkedHashMap<>(a);
      b.forEach((command, n) -> sum.merge(command, n, Long::sum));
      return sum;
    }
  }

  /** Every node's counters by name, this JVM's CPU nanoseconds, and System.nanoTime. */
  record Reading(Map<String, Node> nodes, long jvmCpuNanos, long nanos) {
    /** All nodes' counters added up: one server's as they are. */
    Node total() {
      return nodes.values().stream().reduce(Node.ZERO, Node::plus);
    }
  }

  private final RedisTools tools;

  RedisCounters(RedisTools tools) {
    this.tools = tools;
  }

  Reading read() {
    Map<String, Map<String, String>> memory = tools.serverInfoByNode("memory");
    Map<String, Map<String, String>> cpu = tools.serverInfoByNode("cpu");
    Map<String, Map<String, String>> stats = tools.serverInfoByNode("commandstats");
    Map<String, Node> nodes = new TreeMap<>();
    memory.forEach((node, fields) -> nodes.put(node, node(fields, cpu.get(node),
        stats.getOrDefault(node, Map.of()))));
    return new Reading(nodes, jvmCpuNanos(), System.nanoTime());
  }

  private static Node node(Map<String, String> memory, Map<String, String> cpu,
      Map<String, String> stats) {
    Map<String, Long> calls = new LinkedHashMap<>();
    Map<String, Long> micros = new LinkedHashMap<>();
    stats.forEach((stat, value) -> {
      // cmdstat_evalsha:calls=12,usec=345,usec_per_call=…
      String command = stat.substring("cmdstat_".length());
      String[] fields = value.split(",");
      calls.put(command, Long.parseLong(fields[0].substring("calls=".length())));
      micros.put(command, Long.parseLong(fields[1].substring("usec=".length())));
    });
    return new Node(Long.parseLong(memory.get("used_memory")),
        Double.parseDouble(cpu.get("used_cpu_sys")) + Double.parseDouble(cpu.get("used_cpu_user")),
        calls, micros);
  }

  /** This JVM's CPU time (producers, workers, the bench itself); -1 where the JVM cannot say. */
  private static long jvmCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * Redis's µs between two readings, by command, the largest first. Redis counts a script's
   * EVALSHA with the commands it ran inside: "lua" is EVALSHA's time less every other command's,
   * so the scripts' own Lua, arguments and replies, a little low by the few commands workers
   * send outside scripts (BLPOP, the reaper's reads); "evalsha" is not listed. The bench's own
   * INFO calls are left out.
   */
  static Map<String, Long> microsSpent(Node before, Node after) {
    Map<String, Long> spent = grown(before.micros(), after.micros());
    long inside = spent.entrySet().stream().filter(e -> !e.getKey().equals("evalsha"))
        .mapToLong(Map.Entry::getValue).sum();
    Long evalsha = spent.remove("evalsha");
    if (evalsha != null) {
      spent.put("lua", Math.max(0, evalsha - inside));
    }
    return spent;
  }

  /** What each command's counter grew by between two readings, the bench's INFO calls left out. */
  static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> grown = new LinkedHashMap<>();
    after.forEach((command, n) -> {
      long delta = n - before.getOrDefault(command, 0L);
      if (delta > 0 && !command.equals("info")) {
        grown.put(command, delta);
      }
    });
    return grown;
  }
}
