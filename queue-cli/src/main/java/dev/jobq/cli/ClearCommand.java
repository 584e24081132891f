package dev.jobq.cli;

import dev.jobq.ClearResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the waiting, delayed and blocked jobs of a queue (and its failed ones with"
          + " --include-failed). Active jobs are left to finish on their workers.",
      "Without --confirm it deletes nothing: it says what it would delete and exits 0."
    },
    footer = {
      "",
      "Example:",
      "  jobq clear --queue emails                     # dry run: shows what would go",
      "  jobq clear --queue emails --include-failed --confirm"
    })
final class ClearCommand extends RedisCommand {
  @Mixin QueueName queue;

  @Option(names = "--confirm", description = "Really delete.")
  boolean confirm;

  @Option(names = "--include-failed", description = "Delete the failed list too.")
  boolean includeFailed;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    session.requireQueue(queue.name);
    ClearResult r = confirm
        ? session.client().clear(queue.name, includeFailed)
        : session.client().previewClear(queue.name, includeFailed);
    if (json.on) {
      printJson(new ClearView(queue.name, !confirm, includeFailed, r.waiting(), r.delayed(),
          r.blocked(), r.failed(), r.total()));
      return 0;
    }
    String counts = r.waiting() + " waiting, " + r.delayed() + " delayed, " + r.blocked()
        + " blocked" + (includeFailed ? ", " + r.failed() + " failed" : "");
    if (confirm) {
      out().println("deleted " + r.total() + " job(s) from queue " + queue.name + ": " + counts);
    } else {
      out().println("would delete " + r.total() + " job(s) from queue " + queue.name + ": " + counts
          + (includeFailed ? "" : " (failed jobs are kept; --include-failed deletes them too)"));
      out().println("nothing was deleted: run again with --confirm to delete them");
    }
    out().flush();
    return 0;
  }

  /** {@code clear --json}: with dryRun true the counts are what would be deleted. */
  record ClearView(String queue, boolean dryRun, boolean includeFailed, long waiting,
      long delayed, long blocked, long failed, long total) {}
}
