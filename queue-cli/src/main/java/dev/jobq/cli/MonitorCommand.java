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
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every queue and the live workers. By default it fits the terminal ($COLUMNS, else"
          + " the terminal's width, else 80): per queue its state, waiting, how long the oldest"
          + " waiting job has been ready, active, failed, jobs per minute, failure rate, run time"
          + " p95, long names cut in the middle; per worker busy/concurrency, state, processed,"
          + " failed, heartbeat age, uptime; then the workers' total and the late ones (no"
          + " heartbeat for over two intervals).",
      "--wide shows every column (waiting by priority, delayed, completed in the last minute and"
          + " hour, jobs per minute over 1/5/15 minutes, wait and run time mean/p50/p95, the"
          + " retried, cancelled, stalled and released totals since the queue was created, host,"
          + " pid, queues), however wide.",
      "With --watch it redraws every few seconds until Ctrl-C; a Redis outage meanwhile is"
          + " shown and the watch goes on. With --json each refresh is one JSON line."
    },
    footer = {
      "",
      "Example:",
      "  jobq monitor --watch",
      "  jobq monitor --wide",
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

  @Option(names = "--wide",
      description = "Every column, whatever the terminal's width (lines of about 200 characters).")
  boolean wide;

  @Mixin HeartbeatOption heartbeat;

  @Mixin JsonOption json;

  private Duration interval;

  /** Bad settings are usage errors before Redis is asked anything. */
  @Override
  void prepare() {
    interval = heartbeat.interval(jobq.env());
    if (!json.on && !wide) {
      TerminalWidth.of(jobq.env());
    }
  }

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
    int width = wide ? Integer.MAX_VALUE : TerminalWidth.of(jobq.env());
    LateWorkers late = new LateWorkers(interval, s.time);
    out.println(Format.cell("jobq monitor  " + s.redis + "  prefix " + s.prefix + "  "
        + s.time.truncatedTo(ChronoUnit.SECONDS), width));
    if (watch != null) {
      out.println(Format.cell("every " + Format.duration(watch) + ", Ctrl-C to stop", width));
    }
    out.println();
    if (s.queues.isEmpty()) {
      out.println("no queues yet: enqueue a job to create one");
    } else if (wide) {
      Reports.queueTable(s.queues, out);
    } else {
      Reports.queueTable(s.queues, width, out);
    }
    out.println();
    if (wide) {
      Reports.workerTable(s.workers, late, out);
    } else {
      Reports.workerTable(s.workers, late, width, out);
    }
    if (!s.workers.isEmpty()) {
      out.println(Format.cell(Reports.workerSummary(s.workers, late), width));
    }
    out.flush();
  }

  private record Snapshot(Instant time, String redis, String prefix, List<QueueStats> queues,
      List<WorkerInfo> workers) {}

  /** {@code monitor --json}: one line per refresh. */
  record MonitorView(String time, String redis, String prefix, List<QueueView> queues,
      List<WorkerView> workers) {}
}
