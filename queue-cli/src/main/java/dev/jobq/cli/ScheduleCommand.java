package dev.jobq.cli;

import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.Schedule;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.cli.Converters.PriorityConverter;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Lists recurring jobs; its subcommands add and remove them.",
      "On every tick of a cron expression (in a time zone) or of an interval, the workers of"
          + " the schedule's queue enqueue one job, with the id NAME@<tick in epoch ms>. Each tick"
          + " fires exactly once however many workers run; ticks missed while no worker ran"
          + " fire once, for the latest of them, when one starts."
    },
    footer = {"", "Example:", "  jobq schedule",
        "  jobq schedule add nightly-report report.build --cron '0 3 * * *' --zone Europe/Paris",
        "  jobq schedule remove nightly-report"})
final class ScheduleCommand extends RedisCommand {
  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    List<Schedule.Planned> all = session.client().schedules();
    if (json.on) {
      printJson(new SchedulesView(all.stream().map(ScheduleView::of).toList()));
      return 0;
    }
    if (all.isEmpty()) {
      out().println("no recurring jobs");
    } else {
      Instant now = session.broker().now();
      Table t = new Table("NAME", "QUEUE", "TYPE", "WHEN", "NEXT", "LAST");
      for (Schedule.Planned p : all) {
        Schedule s = p.schedule();
        t.add(s.name(), s.queue(), s.job().type(), s.when(), p.nextTick() == null ? null
            : p.nextTick() + " (in " + Format.age(now, p.nextTick()) + ")",
            last(p.lastTick(), now));
      }
      t.print(out());
    }
    out().flush();
    return 0;
  }

  /** The job of the last firing, how long ago, and how it differed from a plain tick. */
  private static String last(Schedule.LastTick last, Instant now) {
    if (last == null) {
      return null;
    }
    return last.jobId() + " (" + Format.age(last.at(), now) + " ago"
        + (last.triggered() ? ", triggered" : "") + (last.created() ? "" : ", job existed") + ")";
  }

  record SchedulesView(List<ScheduleView> schedules) {}

  record ScheduleView(String name, String queue, String type, String cron, String zone,
      Long everyMs, String nextTick, Object payload, LastTickView lastTick) {
    static ScheduleView of(Schedule.Planned p) {
      Schedule s = p.schedule();
      return new ScheduleView(s.name(), s.queue(), s.job().type(), s.cron(),
          s.zone() == null ? null : s.zone().getId(), Views.millis(s.every()),
          Views.iso(p.nextTick()), Views.json(s.job().payload()), LastTickView.of(p.lastTick()));
    }
  }

  /** The same fields as GET /v1/schedules' lastTick. */
  record LastTickView(String at, String jobId, boolean created, boolean triggered) {
    static LastTickView of(Schedule.LastTick t) {
      return t == null ? null : new LastTickView(Views.iso(t.at()), t.jobId(), t.created(),
          t.triggered());
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Adds a recurring job, or replaces the one of the same name in its queue.",
      footer = {"", "Example:",
          "  jobq schedule add nightly-report report.build --cron '0 3 * * *' --zone Europe/Paris",
          "  jobq schedule add refresh cache.refresh --every 5m --queue caches --payload '{}'"})
  int add(
      @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.") String name,
      @Parameters(index = "1", paramLabel = "TYPE", description = "The type of its jobs.") String type,
      @Option(names = "--cron", paramLabel = "EXPR",
          description = "Five fields (minute hour day-of-month month day-of-week) or @hourly,"
              + " @daily, @weekly, @monthly, @yearly.") String cron,
      @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
          description = "With --cron: its time zone, such as Europe/Paris. Default: UTC.") String zone,
      @Option(names = "--every", paramLabel = "DURATION", converter = DurationConverter.class,
          description = "Instead of --cron: a fixed interval, 1s or more.") Duration every,
      @Option(names = "--queue", paramLabel = "QUEUE", defaultValue = JobRequest.DEFAULT_QUEUE,
          description = "Default: default.") String queue,
      @Option(names = "--payload", paramLabel = "JSON", defaultValue = "null",
          description = "Each job's payload. Default: null.") String payload,
      @Option(names = "--priority", paramLabel = "PRIORITY", converter = PriorityConverter.class,
          description = "critical, high, normal or low. Default: normal.") Priority priority,
      @Option(names = "--max-attempts", paramLabel = "N", description = "Default: 3.")
          Integer maxAttempts) throws Exception {
    JobRequest.Builder job = JobRequest.builder(type).queue(queue).payload(payload);
    if (priority != null) {
      job.priority(priority);
    }
    if (maxAttempts != null) {
      job.maxAttempts(maxAttempts);
    }
    dev.jobq.internal.Json.checkPayload(payload, dev.jobq.JobClient.DEFAULT_MAX_PAYLOAD_BYTES);
    Schedule s = new Schedule(name, cron, cron == null ? null : zone(zone), every, job.build());
    return inSession(session -> {
      session.client().addSchedule(s);
      out().println("schedule " + name + " in queue " + queue + ": " + s.when() + ", next "
          + session.broker().schedules(queue).stream().filter(p -> p.schedule().name().equals(name))
              .findFirst().map(Schedule.Planned::nextTick).orElse(null));
      out().flush();
      return 0;
    });
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new UsageError("unknown time zone '" + id + "': use a region such as Europe/Paris or"
          + " America/New_York, or UTC");
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Removes a recurring job; jobs it already enqueued stay.",
      footer = {"", "Example:", "  jobq schedule remove nightly-report --queue reports"})
  int remove(
      @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.") String name,
      @Option(names = "--queue", paramLabel = "QUEUE", defaultValue = JobRequest.DEFAULT_QUEUE,
          description = "Default: default.") String queue) throws Exception {
    return inSession(session -> {
      if (!session.client().removeSchedule(queue, name)) {
        throw new CommandFailed("no schedule '" + name + "' in queue '" + queue + "'; 'jobq"
            + " schedule' lists them");
      }
      out().println("schedule " + name + " removed from queue " + queue);
      out().flush();
      return 0;
    });
  }
}
