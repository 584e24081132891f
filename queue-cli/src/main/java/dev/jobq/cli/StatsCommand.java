package dev.jobq.cli;

import dev.jobq.QueueStats;
import dev.jobq.cli.Views.QueueView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the figures of one queue or of every queue: jobs by state and priority,"
          + " throughput, failure rate, wait and run time percentiles, totals since creation."
    },
    footer = {
      "",
      "Example:",
      "  jobq stats",
      "  jobq stats --queue emails --json | jq '.queues[0].waiting'"
    })
final class StatsCommand extends RedisCommand {
  @Mixin QueueFilter queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    List<QueueStats> stats = read(session, queue.name);
    if (json.on) {
      printJson(new StatsView(stats.stream().map(QueueView::of).toList()));
      return 0;
    }
    if (stats.isEmpty()) {
      out().println("no queues yet: enqueue a job to create one");
    }
    for (int i = 0; i < stats.size(); i++) {
      if (i > 0) {
        out().println();
      }
      Reports.queueBlock(stats.get(i), out());
    }
    out().flush();
    return 0;
  }

  /** The figures of one queue (which must exist) or of all, by name. */
  static List<QueueStats> read(Session session, String queue) {
    if (queue != null) {
      session.requireQueue(queue);
      return List.of(session.client().stats(queue));
    }
    List<QueueStats> all = new ArrayList<>();
    for (String q : session.client().queues()) {
      all.add(session.client().stats(q));
    }
    return all;
  }

  /** {@code stats --json}. */
  record StatsView(List<QueueView> queues) {}
}
