package dev.jobq.cli;

import dev.jobq.EventCursor;
import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobNotFoundException;
import dev.jobq.JobStatus;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.cli.Views.EventView;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Follows one job until it ends: prints its status, then each of its events as it"
          + " happens (started, progress, failed, retrying, …), then how it ended, with the"
          + " result or the error. The exit code says how it ended, so scripts can wait on a job.",
      "Without --queue the job is looked for in every known queue."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the job completed",
      "1:no such job, or Redis could not be reached",
      "2:usage error",
      "3:the job was dead-lettered (FAILED)",
      "4:the job was cancelled (or escalated: handed to another job)",
      "5:--timeout passed before the job ended"
    },
    footer = {
      "",
      "Example:",
      "  jobq watch 01m837y5g7q3ztqq1tvh",
      "  id=$(jobq enqueue report.build --json | jq -r .id) && jobq watch \"$id\" --timeout 10m"
    })
final class WatchCommand extends RedisCommand {
  static final int FAILED = 3;
  static final int CANCELLED = 4;
  static final int TIMED_OUT = 5;
  private static final Duration READ_WAIT = Duration.ofSeconds(2);
  private static final Duration RECHECK = Duration.ofSeconds(5);

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "The job's queue.")
  String queue;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Give up after this long (exit 5), e.g. 30s, 10m. Default: wait for good.")
  Duration timeout;

  @Option(names = "--json", description = "Print each event, then the ended job, as JSON lines.")
  boolean json;

  private long lastRead;

  @Override
  int run(Session session) throws InterruptedException {
    String q = queue != null ? session.requireQueue(queue) : session.client().find(id)
        .orElseThrow(() -> new JobNotFoundException(null, id)).queue();
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    // following starts before the job is read, so nothing between the two is missed
    EventCursor cursor = session.client().followEvents(List.of(q));
    Job job = session.client().require(q, id);
    lastRead = System.nanoTime();
    if (!json) {
      out().println(id + " in queue " + q + ": " + Views.lower(job.status()));
    }
    while (!job.status().isFinished()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        err().println("jobq: job " + id + " is still " + Views.lower(job.status()) + " after "
            + Format.duration(timeout));
        err().flush();
        return TIMED_OUT;
      }
      job = next(session, cursor, q, Duration.ofNanos(Math.min(left, READ_WAIT.toNanos())), job);
    }
    ended(job);
    return job.status() == JobStatus.COMPLETED ? 0
        : job.status() == JobStatus.CANCELLED ? CANCELLED : FAILED;
  }

  /** Prints the job's new events; the job as it is now when one of them ended it. */
  private Job next(Session session, EventCursor cursor, String q, Duration wait, Job job)
      throws InterruptedException {
    List<JobEvent> events = EventsCommand.next(cursor, wait, err());
    if (events == null) {
      return job;
    }
    boolean ended = false;
    for (JobEvent e : events) {
      if (e.jobId().equals(id)) {
        out().println(json ? dev.jobq.Json.encode(EventView.of(e)) : EventsCommand.line(e));
        ended |= e.type().endsJob();
      }
    }
    out().flush();
    // with no event at all, read the job anyway: its queue may keep no events; and every few
    // seconds on a busy queue, whose stream may have been trimmed past the job's end
    if (ended || events.isEmpty() || System.nanoTime() - lastRead >= RECHECK.toNanos()) {
      lastRead = System.nanoTime();
      return session.client().require(q, id);
    }
    return job;
  }

  private void ended(Job job) {
    if (json) {
      printJson(Views.JobView.of(job));
      return;
    }
    out().println(id + " " + Views.lower(job.status())
        + (job.escalatedTo() == null ? "" : ", escalated to " + job.escalatedTo()));
    if (job.status() == JobStatus.COMPLETED) {
      out().println("result: " + (job.result() == null ? "null" : job.result()));
    } else if (job.error() != null && !job.error().isEmpty()) {
      out().println("error: " + (job.errorClass() == null ? "" : job.errorClass() + ": ")
          + job.error());
    }
    out().flush();
  }
}
