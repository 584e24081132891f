package dev.jobq.cli;

import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "retry-failed",
    mixinStandardHelpOptions = true,
    description = {
      "Moves failed (dead-lettered) jobs back to waiting, with fresh attempts.",
      "With --job-id, an id that is not in the queue's failed list is reported and the exit"
          + " code is 1; the others are still moved."
    },
    footer = {
      "",
      "Example:",
      "  jobq retry-failed --queue emails --all",
      "  jobq retry-failed --queue emails --job-id 01m837y5g7q3ztqq1tvh"
    })
final class RetryFailedCommand extends RedisCommand {
  @Mixin QueueName queue;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--all", required = true, description = "Every failed job of the queue.")
    boolean all;

    @Option(names = "--job-id", required = true, split = ",", paramLabel = "ID",
        description = "These failed jobs (repeat the flag, or separate with commas).")
    List<String> ids;
  }

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    session.requireQueue(queue.name);
    List<String> ids = which.all ? null : List.copyOf(new LinkedHashSet<>(which.ids));
    long moved = ids == null
        ? session.client().retryAllFailed(queue.name)
        : session.client().retryFailed(queue.name, ids);
    Long requested = ids == null ? null : (long) ids.size();
    if (json.on) {
      printJson(new RetryView(queue.name, requested, moved));
    } else {
      out().println("moved " + moved + " failed job(s) of queue " + queue.name + " back to waiting");
      out().flush();
    }
    if (requested != null && moved < requested) {
      err().println("jobq: " + (requested - moved) + " of the " + requested + " given job(s) are"
          + " not in the failed list of queue '" + queue.name + "' (see: jobq list --queue " + queue.name
          + " --status failed)");
      err().flush();
      return Errors.FAILED;
    }
    return 0;
  }

  /** {@code retry-failed --json}; requested is null with --all. */
  record RetryView(String queue, Long requested, long moved) {}
}
