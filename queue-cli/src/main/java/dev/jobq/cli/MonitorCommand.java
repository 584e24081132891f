package dev.jobq.cli;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.QueueStats;
import dev.jobq.WorkerInfo;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.cli.Views.QueueView;
import dev.jobq.cli.Views.WorkerView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every queue (waiting by priority, delayed, active, failed, completed in the last"
          + " minute and hour, jobs per minute, failure rate, wait and run time p50/p95, paused)"
          + " and the live workers.",
      "With --watch it redraws every few seconds until Ctrl-C; a Redis outage meanwhile is"
          + " shown and the watch goes on. With --json each refresh is one JSON line."
    },
    footer = {
      "",
      "Example:",
      "  jobq monitor --watch",
      "  jobq monitor --queue emails --watch 5",
      "  jobq monitor --json | jq '.queues[] | {queue, waiting}'"
    })
final class MonitorCommand extends RedisCommand {
  /** ANSI: cursor home, then clear the screen. */
  private static final String CLEAR = "\033[H\033[2J";

  @Mixin QueueFilter queue;

  @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS",
      converter = DurationConverter.class,
      description = "Redraw every SECONDS (default 2; 500ms and the like work too).")
  Duration watch;

  @Option(names = "--count", paramLabel = "N",
      description = "With --watch: stop after N refreshes. Default: until Ctrl-C.")
  Integer count;

  @Mixin JsonOption json;

  @Override
  int run(Session session) throws InterruptedException {
    if (watch == null) {
      show(snapshot(session));
      return 0;
    }
    if (watch.isZero()) {
      throw new UsageError("--watch needs a positive interval, got '0'");
    }
    for (int n = 1; ; n++) {
      refresh(session);
      if (count != null && n >= count) {
        return 0;
      }
      Thread.sleep(watch.toMillis());
    }
  }

  /** One refresh of a watch: an outage is shown, not fatal, so the watch rides it out. */
  private void refresh(Session session) {
    try {
      Snapshot s = snapshot(session);
      if (!json.on) {
        out().print(CLEAR);
      }
      show(s);
    } catch (BrokerUnavailableException e) {
      if (!json.on) {
        out().print(CLEAR);
      }
      err().println("jobq: " + Errors.unavailable(e) + " (retrying every " + Format.duration(watch) + ")");
      err().flush();
    }
  }

  private Snapshot snapshot(Session session) {
    List<QueueStats> queues = StatsCommand.read(session, queue.name);
    List<WorkerInfo> workers = session.client().workers();
    if (queue.name != null) {
      workers = workers.stream().filter(w -> w.queues().contains(queue.name)).toList();
    }
    return new Snapshot(session.broker().now(), session.config().maskedUrl(),
        session.config().prefix(), queues, workers);
  }

  private void show(Snapshot s) {
    if (json.on) {
      printJson(new MonitorView(s.time.toString(), s.redis, s.prefix,
          s.queues.stream().map(QueueView::of).toList(),
          s.workers.stream().map(w -> WorkerView.of(w, s.time)).toList()));
      return;
    }
    PrintWriter out = out();
    out.println("jobq monitor  " + s.redis + "  prefix " + s.prefix + "  " + s.time
        + (watch != null ? "  (every " + Format.duration(watch) + ", Ctrl-C to stop)" : ""));
    out.println();
    if (s.queues.isEmpty()) {
      out.println("no queues yet: enqueue a job to create one");
    } else {
      Reports.queueTable(s.queues, out);
    }
    out.println();
    Reports.workerTable(s.workers, s.time, out);
    out.flush();
  }

  private record Snapshot(Instant time, String redis, String prefix, List<QueueStats> queues,
      List<WorkerInfo> workers) {}

  /** {@code monitor --json}: one line per refresh. */
  record MonitorView(String time, String redis, String prefix, List<QueueView> queues,
      List<WorkerView> workers) {}
}
