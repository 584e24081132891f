package dev.jobq.cli;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.EventCursor;
import dev.jobq.JobEvent;
import dev.jobq.cli.Views.EventView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the lifecycle events of jobs: enqueued, ready, started, progress, failed,"
          + " stalled, retrying, released, requeued, completed, dead-lettered, cancelled,"
          + " promoted (run now), deleted.",
      "Each queue keeps its newest events (about 10,000) in Redis. Without --follow the"
          + " newest --last of them are printed, oldest first; with --follow the command then"
          + " keeps printing new ones until Ctrl-C (or --count), riding out Redis outages.",
      "Without --queue it reads every queue known when it starts."
    },
    footer = {
      "",
      "Example:",
      "  jobq events --queue emails --last 50",
      "  jobq events --follow --json | jq 'select(.event == \"dead-lettered\")'"
    })
final class EventsCommand extends RedisCommand {
  private static final Duration READ_WAIT = Duration.ofSeconds(2);
  private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

  @Option(names = "--queue", paramLabel = "QUEUE", split = ",",
      description = "Only these queues (repeat or separate by commas). Default: all.")
  List<String> queues;

  @Option(names = "--job", paramLabel = "ID", description = "Only the events of this job.")
  String job;

  @Option(names = "--last", paramLabel = "N", defaultValue = "20",
      description = "How many past events to print first, per queue (0 for none). Default: 20.")
  int last;

  @Option(names = {"--follow", "-f"}, description = "Keep printing new events until Ctrl-C.")
  boolean follow;

  @Option(names = "--count", paramLabel = "N",
      description = "With --follow: stop after N new events. Default: until Ctrl-C.")
  Integer count;

  @Mixin JsonOption json;

  @Override
  int run(Session session) throws InterruptedException {
    if (last < 0 || last > 10_000) {
      throw new UsageError("--last must be in 0..10000, got " + last);
    }
    List<String> names = queues == null ? new ArrayList<>(session.client().queues())
        : queues.stream().map(session::requireQueue).toList();
    Map<String, String> positions = new LinkedHashMap<>();
    List<JobEvent> past = new ArrayList<>();
    for (String q : names) {
      positions.put(q, session.broker().eventsTail(q));
      if (last > 0) {
        past.addAll(session.client().recentEvents(q, last));
      }
    }
    past.stream().sorted(Comparator.comparing(JobEvent::at)).forEach(this::print);
    for (JobEvent e : past) {
      // resume after what was printed: nothing that happened since the tails were read is lost
      positions.put(e.queue(), e.position());
    }
    if (!follow || names.isEmpty()) {
      out().flush();
      return 0;
    }
    follow(session.client().followEvents(positions));
    return 0;
  }

  private void follow(EventCursor cursor) throws InterruptedException {
    int printed = 0;
    while (count == null || printed < count) {
      List<JobEvent> events = ridingOutages(() -> cursor.next(READ_WAIT), err());
      if (events == null) {
        continue;
      }
      for (JobEvent e : events) {
        if (print(e) && count != null && ++printed >= count) {
          break;
        }
      }
      out().flush();
    }
  }

  /** A read of events that may block. */
  interface EventRead {
    List<JobEvent> read() throws InterruptedException;
  }

  /**
   * The events read, or null while Redis is unreachable: the outage is reported on {@code err}
   * and, after a pause, the caller reads again from where it was.
   */
  static List<JobEvent> ridingOutages(EventRead read, PrintWriter err) throws InterruptedException {
    try {
      return read.read();
    } catch (BrokerUnavailableException e) {
      err.println("jobq: " + Errors.unavailable(e) + "; trying again");
      err.flush();
      Thread.sleep(OUTAGE_PAUSE.toMillis());
      return null;
    }
  }

  /** Prints the event unless --job leaves it out; true when printed. */
  private boolean print(JobEvent e) {
    if (job != null && !job.equals(e.jobId())) {
      return false;
    }
    if (json.on) {
      out().println(dev.jobq.internal.Json.encode(EventView.of(e)));
    } else {
      out().println(line(e));
    }
    return true;
  }

  /** {@code 2030-01-01T00:00:00.123Z  emails  01m8…  started  attempt=1 worker=w1} */
  static String line(JobEvent e) {
    String details = e.details().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining(" "));
    return String.format("%-24s  %s  %s  %s%s", e.at(), e.queue(), e.jobId(), e.type().label(),
        details.isEmpty() ? "" : "  " + details);
  }
}
