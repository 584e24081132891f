package dev.jobq.cli.bench;

import dev.jobq.cli.CommandFailed;
import dev.jobq.redis.RedisTools;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each node (each master of a cluster; the one server otherwise) did while the bench
 * enqueued in batches and drained, and what that projects to with every shard on a core of its
 * own. On a machine with fewer cores than shards plus clients, the shards share cores, so their
 * measured sum is not what a cluster does: the cost per job on each shard is, and the
 * projection is built from it.
 *
 * @param shards one per node, by name
 * @param cores the processors this JVM sees, shared by the shards and the clients when local
 * @param redisCpuMicrosPerJob all nodes' Redis CPU over all jobs: a job's whole life, enqueue in
 *     a batch, claim and completion
 * @param shardCeilingPerSecond jobs per second one shard could take on a core of its own when
 *     Redis's CPU is what bounds it: 1,000,000 / redisCpuMicrosPerJob
 * @param clientCpuMicrosPerJob this JVM's CPU (producers and workers) per job over the same
 *     phases: the clients' cost, which bounds throughput too
 * @param clientCeilingPerCorePerSecond jobs per second a core of clients keeps up with
 */
public record Shards(List<Shard> shards, int cores, double redisCpuMicrosPerJob,
    double shardCeilingPerSecond, double clientCpuMicrosPerJob,
    double clientCeilingPerCorePerSecond) {
  private static final int MAX_NAMES_TRIED = 100_000;

  /**
   * One node's share.
   *
   * @param queues the bench's measured queues this node holds
   * @param jobs the jobs of those queues
   * @param jobsPerSecond its share of the end-to-end rate: jobs / the whole drain's time
   * @param redisCpuSecondsPer1000Jobs its Redis CPU (user and system) over its jobs; null
   *     when it holds none
   * @param redisMicrosPerJob its Redis time by INFO commandstats over its jobs; null when it
   *     holds none
   * @param redisBusy its Redis CPU over the wall time of the two phases: 1 is a whole core
   */
  public record Shard(String node, List<String> queues, long jobs, double jobsPerSecond,
      Double redisCpuSecondsPer1000Jobs, Double redisMicrosPerJob, double redisBusy) {}

  /**
   * {@code n} queue names, drain-0, drain-1, …, chosen so that every node holds as many as the
   * others, give or take one: under a cluster they land on different masters.
   */
  static List<String> spread(RedisTools tools, int n) {
    Set<String> nodes = tools.serverInfoByNode("server").keySet();
    int perNode = (n + nodes.size() - 1) / nodes.size();
    Map<String, Integer> held = new LinkedHashMap<>();
    List<String> chosen = new ArrayList<>();
    for (int i = 0; chosen.size() < n; i++) {
      if (i == MAX_NAMES_TRIED) {
        throw new CommandFailed("found " + chosen.size() + " of " + n + " queues spread evenly"
            + " over " + nodes + " in " + i + " names: does a master serve no slots?");
      }
      String queue = "drain-" + i;
      if (held.merge(tools.nodeOf(queue), 1, Integer::sum) <= perNode) {
        chosen.add(queue);
      }
    }
    return chosen;
  }

  /** The jobs of each queue when job i goes to queue i % queues.size(). */
  static long jobsOf(int index, int queues, int jobs) {
    return jobs / queues + (index < jobs % queues ? 1 : 0);
  }

  static Shards of(RedisCounters.Reading before, RedisCounters.Reading after,
      Map<String, String> nodeOfQueue, List<String> queues, int jobs, double endToEndPerSecond) {
    Map<String, List<String>> queuesOf = new TreeMap<>();
    Map<String, Long> jobsOf = new TreeMap<>();
    for (int i = 0; i < queues.size(); i++) {
      String node = nodeOfQueue.get(queues.get(i));
      queuesOf.computeIfAbsent(node, k -> new ArrayList<>()).add(queues.get(i));
      jobsOf.merge(node, jobsOf(i, queues.size(), jobs), Long::sum);
    }
    double seconds = (after.nanos() - before.nanos()) / 1e9;
    List<Shard> shards = new ArrayList<>();
    after.nodes().forEach((node, end) -> {
      RedisCounters.Node start = before.nodes().getOrDefault(node, RedisCounters.Node.ZERO);
      long n = jobsOf.getOrDefault(node, 0L);
      double cpu = end.cpuSeconds() - start.cpuSeconds();
      long micros = RedisCounters.microsSpent(start, end).values().stream()
          .mapToLong(Long::longValue).sum();
      shards.add(new Shard(node, queuesOf.getOrDefault(node, List.of()), n,
          endToEndPerSecond * n / jobs, perJob(cpu * 1000, n), perJob(micros, n),
          cpu / Math.max(seconds, 1e-9)));
    });
    double redisMicros = (after.total().cpuSeconds() - before.total().cpuSeconds()) * 1e6 / jobs;
    double clientMicros = after.jvmCpuNanos() < 0 ? Double.NaN
        : (after.jvmCpuNanos() - before.jvmCpuNanos()) / 1e3 / jobs;
    return new Shards(List.copyOf(shards), Runtime.getRuntime().availableProcessors(),
        redisMicros, 1e6 / redisMicros, clientMicros, 1e6 / clientMicros);
  }

  /** Null for a node that holds none of the queues. */
  private static Double perJob(double total, long jobs) {
    return jobs == 0 ? null : total / jobs;
  }

  /** Jobs per second with {@code n} shards each on its own core, Redis's CPU the bound. */
  public double projectedPerSecond(int n) {
    return n * shardCeilingPerSecond;
  }

  /** Cores of clients (producers and workers as the bench's) that rate needs. */
  public double clientCoresFor(double perSecond) {
    return perSecond / clientCeilingPerCorePerSecond;
  }
}
