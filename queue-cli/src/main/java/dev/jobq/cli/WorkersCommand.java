package dev.jobq.cli;

import dev.jobq.JobqException;
import dev.jobq.WorkerControl.State;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import dev.jobq.cli.Views.WorkerView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the live workers (those whose heartbeat has not expired): host, pid, queues,"
          + " busy/concurrency, state, jobs processed and failed, heartbeat age, uptime.",
      "A worker writes its figures with each heartbeat: processed and failed are as of its last"
          + " heartbeat (the HEARTBEAT column says how long ago), so they lag by up to one"
          + " interval. A worker silent for over two intervals is marked late.",
      "Its subcommands give orders to running workers on any host; each worker follows them at"
          + " its next heartbeat (every lease / 3, 10 s by default)."
    },
    footer = {"", "Example:", "  jobq workers", "  jobq workers --json | jq '.workers | length'",
        "  jobq workers quiet --all"})
final class WorkersCommand extends RedisCommand {
  private static final String IDS = "Worker ids, as 'jobq workers' lists them.";
  private static final String ALL = "Every live worker, instead of ids.";

  /** Said under the table: the counts are the heartbeat's, not live ones. */
  static final String LAG_NOTE = "processed and failed are as of each worker's last heartbeat"
      + " (HEARTBEAT): they lag by up to one interval";

  @Mixin HeartbeatOption heartbeat;

  @Mixin JsonOption json;

  private Duration interval;

  @Override
  void prepare() {
    interval = heartbeat.interval(jobq.env());
  }

  @Override
  int run(Session session) {
    List<WorkerInfo> workers = session.client().workers();
    Instant now = session.broker().now();
    if (json.on) {
      printJson(new WorkersView(workers.stream().map(w -> WorkerView.of(w, now)).toList()));
    } else {
      Reports.workerTable(workers, new LateWorkers(interval, now), out());
      if (!workers.isEmpty()) {
        out().println(LAG_NOTE);
      }
      out().flush();
    }
    return 0;
  }

  /** {@code workers --json}. */
  record WorkersView(List<WorkerView> workers) {}

  @Command(name = "quiet", mixinStandardHelpOptions = true,
      description = "Tells workers to claim no more jobs and finish the ones they run; they stay"
          + " up (see 'resume' and 'stop').",
      footer = {"", "Example:", "  jobq workers quiet --all", "  jobq workers quiet host-a:4242:k3f9"})
  int quiet(@Parameters(paramLabel = "ID", arity = "0..*", description = IDS) List<String> ids,
      @Option(names = "--all", description = ALL) boolean all) throws Exception {
    return order(ids, all, new WorkerControl(State.QUIET, null), "be quiet");
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Tells quiet workers to claim jobs again.",
      footer = {"", "Example:", "  jobq workers resume --all"})
  int resume(@Parameters(paramLabel = "ID", arity = "0..*", description = IDS) List<String> ids,
      @Option(names = "--all", description = ALL) boolean all) throws Exception {
    return order(ids, all, new WorkerControl(State.RUN, null), "claim jobs again");
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Tells workers to shut down gracefully, as on SIGTERM: no new jobs, running"
          + " ones get the shutdown grace, the rest go back to their queue unspent.",
      footer = {"", "Example:", "  jobq workers stop --all", "  jobq workers stop host-a:4242:k3f9"})
  int stop(@Parameters(paramLabel = "ID", arity = "0..*", description = IDS) List<String> ids,
      @Option(names = "--all", description = ALL) boolean all) throws Exception {
    return order(ids, all, new WorkerControl(State.STOP, null), "stop");
  }

  @Command(name = "concurrency", mixinStandardHelpOptions = true,
      description = "Changes how many jobs workers run at once, while they run (until they"
          + " restart). Lowering it lets the running jobs over it finish.",
      footer = {"", "Example:", "  jobq workers concurrency 4 --all",
          "  jobq workers concurrency 32 host-a:4242:k3f9"})
  int concurrency(
      @Parameters(index = "0", paramLabel = "N", description = "Jobs at once, 1..10000.") int n,
      @Parameters(index = "1..*", paramLabel = "ID", arity = "0..*", description = IDS) List<String> ids,
      @Option(names = "--all", description = ALL) boolean all) throws Exception {
    WorkerControl orders;
    try {
      orders = new WorkerControl(null, n);
    } catch (JobqException e) {
      throw new UsageError(e.getMessage());
    }
    return order(ids, all, orders, "run " + n + " jobs at once");
  }

  /** Leaves the orders for each target; an id that names no live worker fails, the rest go on. */
  private int order(List<String> given, boolean all, WorkerControl orders, String what)
      throws Exception {
    boolean named = given != null && !given.isEmpty();
    if (named == all) {
      throw new UsageError("name the workers (ids from 'jobq workers') or give --all, not both");
    }
    return inSession(session -> {
      List<String> ids = all
          ? session.client().workers().stream().map(WorkerInfo::id).toList() : given;
      if (ids.isEmpty()) {
        out().println("no live workers: nothing to tell");
      }
      int code = 0;
      for (String id : ids) {
        try {
          session.client().controlWorker(id, orders);
          out().println("worker " + id + ": told to " + what);
        } catch (JobqException e) {
          err().println("jobq: " + e.getMessage());
          code = 1;
        }
      }
      out().flush();
      err().flush();
      return code;
    });
  }
}
