package dev.jobq.cli;

import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.cli.Converters.StatusConverter;
import dev.jobq.cli.Views.JobView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the jobs of one status in a queue: waiting jobs in the order they will run, the"
          + " others by time.",
      "Table columns: id, type, priority, status, attempt/max, age (since created), last error."
    },
    footer = {
      "",
      "Example:",
      "  jobq list --queue emails --status failed",
      "  jobq list --queue emails --status waiting --limit 100 --offset 100 --json"
    })
final class ListCommand extends RedisCommand {
  @Mixin QueueName queue;

  @Option(names = "--status", paramLabel = "STATUS", converter = StatusConverter.class,
      defaultValue = "waiting",
      description = "waiting, delayed, active, completed, failed, cancelled or blocked."
          + " Default: ${DEFAULT-VALUE}.")
  JobStatus status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many jobs (1..10000). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
      description = "Skip this many jobs first. Default: ${DEFAULT-VALUE}.")
  long offset;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    session.requireQueue(queue.name);
    JobPage page = session.client().list(queue.name, status, offset, limit);
    if (json.on) {
      printJson(new PageView(queue.name, Views.lower(status), page.offset(), limit, page.total(),
          page.jobs().stream().map(JobView::of).toList()));
    } else {
      print(page, session.broker().now());
    }
    return 0;
  }

  private void print(JobPage page, Instant now) {
    PrintWriter out = out();
    String what = Views.lower(status) + " jobs in queue " + queue.name;
    if (page.jobs().isEmpty()) {
      out.println(page.total() == 0 ? "no " + what
          : "no " + what + " from offset " + offset + " (there are " + page.total() + ")");
      return;
    }
    Table t = new Table("ID", "TYPE", "PRIORITY", "STATUS", "ATTEMPT", "AGE", "ERROR");
    for (Job j : page.jobs()) {
      t.add(j.id(), j.type(), Views.lower(j.priority()), Views.lower(j.status()),
          j.attempt() + "/" + j.maxAttempts(), Format.age(j.createdAt(), now),
          Format.cell(j.error(), 60));
    }
    t.print(out);
    long last = page.offset() + page.jobs().size();
    out.println();
    out.println((page.offset() + 1) + "-" + last + " of " + page.total() + " " + what
        + (last < page.total() ? "; next page: --offset " + last : ""));
  }

  /** {@code list --json}. */
  record PageView(String queue, String status, long offset, int limit, long total,
      List<JobView> jobs) {}
}
