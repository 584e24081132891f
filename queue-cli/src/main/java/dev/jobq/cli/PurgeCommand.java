package dev.jobq.cli;

import dev.jobq.QueueStats;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.internal.Durations;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes finished jobs (completed, cancelled and failed) that finished longer ago than"
          + " --older-than, in one queue or in all of them.",
      "Without --confirm it deletes nothing: it says what it would do, with how many finished"
          + " jobs are kept now (of any age: an upper bound), and exits 0."
    },
    footer = {
      "",
      "Example:",
      "  jobq purge --older-than 24h                   # dry run over every queue",
      "  jobq purge --older-than 7d --queue emails --confirm"
    })
final class PurgeCommand extends RedisCommand {
  @Option(names = "--older-than", required = true, paramLabel = "DURATION",
      converter = DurationConverter.class, description = "Such as 24h or 7d.")
  Duration olderThan;

  @Mixin QueueFilter queue;

  @Option(names = "--confirm", description = "Really delete.")
  boolean confirm;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    if (queue.name != null) {
      session.requireQueue(queue.name);
    }
    String where = queue.name != null ? "queue " + queue.name : "all queues";
    long finished = finishedNow(session);
    long deleted = 0;
    if (confirm) {
      deleted = queue.name != null
          ? session.client().purge(queue.name, olderThan)
          : session.client().purgeAll(olderThan);
    }
    if (json.on) {
      printJson(new PurgeView(queue.name, olderThan.toMillis(), !confirm, deleted, finished));
      return 0;
    }
    String age = Durations.format(olderThan);
    if (confirm) {
      out().println("deleted " + deleted + " finished job(s) older than " + age + " from " + where);
    } else {
      out().println("would delete the completed, cancelled and failed jobs that finished more"
          + " than " + age + " ago in " + where + " (" + finished + " finished job(s) are kept"
          + " now, of any age)");
      out().println("nothing was deleted: run again with --confirm to delete them");
    }
    out().flush();
    return 0;
  }

  private long finishedNow(Session session) {
    List<String> queues = queue.name != null ? List.of(queue.name) : List.copyOf(session.client().queues());
    long n = 0;
    for (String q : queues) {
      QueueStats s = session.client().stats(q);
      n += s.completed() + s.cancelled() + s.failed();
    }
    return n;
  }

  /**
   * {@code purge --json}: queue is null for all queues; finishedBefore counts the finished jobs
   * of any age there were before (an upper bound of what a dry run would delete).
   */
  record PurgeView(String queue, long olderThanMs, boolean dryRun, long deleted,
      long finishedBefore) {}
}
