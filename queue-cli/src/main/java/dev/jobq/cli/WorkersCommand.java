package dev.jobq.cli;

import dev.jobq.WorkerInfo;
import dev.jobq.cli.Views.WorkerView;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the live workers (those whose heartbeat has not expired): host, pid, queues,"
          + " busy/concurrency, jobs processed and failed, heartbeat age, uptime."
    },
    footer = {"", "Example:", "  jobq workers", "  jobq workers --json | jq '.workers | length'"})
final class WorkersCommand extends RedisCommand {
  @Option(names = "--json", description = "Print {\"workers\":[…]} as JSON.")
  boolean json;

  @Override
  int run(Session session) {
    List<WorkerInfo> workers = session.client().workers();
    Instant now = session.broker().now();
    if (json) {
      printJson(new WorkersView(workers.stream().map(w -> WorkerView.of(w, now)).toList()));
    } else {
      Reports.workerTable(workers, now, out());
      out().flush();
    }
    return 0;
  }

  /** {@code workers --json}. */
  record WorkersView(List<WorkerView> workers) {}
}
