package dev.jobq.cli;

import dev.jobq.JobRequest;
import dev.jobq.JobqException;
import dev.jobq.Limit;
import dev.jobq.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "limits",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the limits of each queue; its subcommands set and remove them.",
      "A limit holds across every worker: at most N jobs of the queue (or of one job type in"
          + " it) running at once, and at most N started per interval (fixed windows). Jobs over"
          + " a limit keep their place in the queue; 'jobq monitor' shows the queue as limited."
    },
    footer = {"", "Example:", "  jobq limits",
        "  jobq limits set --queue deploys --type deploy --running 2",
        "  jobq limits set --queue emails --rate 100/1m",
        "  jobq limits remove --queue deploys --type deploy"})
final class LimitsCommand extends RedisCommand {
  @Mixin QueueFilter queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    List<String> queues = queue.name != null ? List.of(session.requireQueue(queue.name))
        : new ArrayList<>(session.client().queues());
    List<LimitView> all = new ArrayList<>();
    for (String q : queues) {
      session.client().limits(q).forEach(l -> all.add(LimitView.of(q, l)));
    }
    if (json.on) {
      printJson(new LimitsView(all));
      return 0;
    }
    if (all.isEmpty()) {
      out().println("no limits");
    } else {
      Table t = new Table("QUEUE", "TYPE", "LIMIT");
      all.forEach(l -> t.add(l.queue(), l.type() == null ? "(all)" : l.type(), l.describe()));
      t.print(out());
    }
    out().flush();
    return 0;
  }

  record LimitsView(List<LimitView> limits) {}

  record LimitView(String queue, String type, int maxRunning, int maxStarted, Long perMs,
      @com.fasterxml.jackson.annotation.JsonIgnore String describe) {
    static LimitView of(String queue, Limit l) {
      return new LimitView(queue, l.type(), l.maxRunning(), l.maxStarted(), Views.millis(l.per()),
          l.describe());
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Sets the limit of a queue, or of one job type in it, replacing the one"
          + " there was. Workers follow it at their next claim.",
      footer = {"", "Example:", "  jobq limits set --queue deploys --type deploy --running 2",
          "  jobq limits set --queue emails --rate 100/1m --running 20"})
  int set(
      @Option(names = "--queue", paramLabel = "QUEUE", defaultValue = JobRequest.DEFAULT_QUEUE,
          description = "Default: default.") String q,
      @Option(names = "--type", paramLabel = "TYPE",
          description = "Only jobs of this type. Default: the whole queue.") String type,
      @Option(names = "--running", paramLabel = "N", defaultValue = "0",
          description = "At most N running at once, on all workers together.") int running,
      @Option(names = "--rate", paramLabel = "N/DURATION",
          description = "At most N started per DURATION, such as 100/1m or 5/1s.") String rate)
      throws Exception {
    Limit limit;
    try {
      int started = rate == null ? 0 : rateCount(rate);
      limit = new Limit(type, running, started, rate == null ? null : ratePer(rate));
    } catch (JobqException | IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    return inSession(session -> {
      session.client().setLimit(q, limit);
      out().println("queue " + q + (type == null ? "" : ", type " + type) + ": " + limit.describe());
      out().flush();
      return 0;
    });
  }

  private static int rateCount(String rate) {
    try {
      return Integer.parseInt(rate.substring(0, slash(rate)).trim());
    } catch (NumberFormatException e) {
      throw new UsageError("--rate '" + rate + "' must be N/DURATION, such as 100/1m");
    }
  }

  private static Duration ratePer(String rate) {
    String per = rate.substring(slash(rate) + 1).trim();
    return Durations.parse(Character.isDigit(per.isEmpty() ? 'x' : per.charAt(0)) ? per : "1" + per);
  }

  private static int slash(String rate) {
    int i = rate.indexOf('/');
    if (i < 0) {
      throw new UsageError("--rate '" + rate + "' must be N/DURATION, such as 100/1m");
    }
    return i;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Lifts the limit of a queue, or of one job type in it.",
      footer = {"", "Example:", "  jobq limits remove --queue deploys --type deploy"})
  int remove(
      @Option(names = "--queue", paramLabel = "QUEUE", defaultValue = JobRequest.DEFAULT_QUEUE,
          description = "Default: default.") String q,
      @Option(names = "--type", paramLabel = "TYPE",
          description = "The type's limit. Default: the queue's own.") String type)
      throws Exception {
    return inSession(session -> {
      if (!session.client().removeLimit(q, type)) {
        throw new CommandFailed("queue '" + q + "' has no limit" + (type == null ? " of its own"
            : " for type '" + type + "'") + "; 'jobq limits' lists them");
      }
      out().println("queue " + q + (type == null ? "" : ", type " + type) + ": limit removed");
      out().flush();
      return 0;
    });
  }
}
