package dev.jobq.cli;

import dev.jobq.cli.bench.Shards;
import java.io.PrintWriter;
import java.util.Locale;

/** The per-shard part of {@code jobq bench}'s text report, printed under a cluster. */
final class ShardsText {
  private ShardsText() {}

  static void print(PrintWriter out, Shards s, double endToEndPerSecond) {
    out.println();
    out.printf(Locale.ROOT, "Per shard, over the batch enqueue and the drain (INFO from every"
        + " master; %d processor(s) here, shared by every shard and the clients):%n", s.cores());
    Table table = new Table("shard", "queues", "jobs", "share of end to end",
        "Redis CPU per 1000 jobs", "Redis time per job", "Redis busy");
    long jobs = 0;
    int queues = 0;
    for (Shards.Shard shard : s.shards()) {
      table.add(shard.node(), shard.queues().size(),
          String.format(Locale.ROOT, "%,d", shard.jobs()), rate(shard.jobsPerSecond()),
          shard.redisCpuSecondsPer1000Jobs() == null ? "-"
              : String.format(Locale.ROOT, "%.3f s", shard.redisCpuSecondsPer1000Jobs()),
          shard.redisMicrosPerJob() == null ? "-"
              : String.format(Locale.ROOT, "%.1f µs", shard.redisMicrosPerJob()),
          String.format(Locale.ROOT, "%.0f %%", shard.redisBusy() * 100));
      jobs += shard.jobs();
      queues += shard.queues().size();
    }
    table.add("total", queues, String.format(Locale.ROOT, "%,d", jobs), rate(endToEndPerSecond),
        String.format(Locale.ROOT, "%.3f s", s.redisCpuMicrosPerJob() / 1000), "", "").print(out);
    int n = s.shards().size();
    out.printf(Locale.ROOT, "Projection: a shard on a core of its own takes about %s when Redis's"
        + " CPU bounds it (1,000,000 / %.1f µs of Redis CPU per job); N shards each on its own"
        + " core about N times that: %d shards %s, %d shards %s.%n",
        rate(s.shardCeilingPerSecond()), s.redisCpuMicrosPerJob(), n,
        rate(s.projectedPerSecond(n)), 2 * n, rate(s.projectedPerSecond(2 * n)));
    if (!Double.isNaN(s.clientCpuMicrosPerJob())) {
      out.printf(Locale.ROOT, "The clients bound it too: producers and workers here spent %.1f µs"
          + " of CPU per job, about %s per core of clients, so %d shards' %s need about %.1f"
          + " cores of clients.%n", s.clientCpuMicrosPerJob(),
          rate(s.clientCeilingPerCorePerSecond()), n, rate(s.projectedPerSecond(n)),
          s.clientCoresFor(s.projectedPerSecond(n)));
    }
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f jobs/s", perSecond);
  }
}
