package dev.jobq.cli;

import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.JobNotFoundException;
import dev.jobq.JobStatus;
import dev.jobq.JobWatch;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.cli.Views.EventView;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "The job's queue.")
  String queue;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Give up after this long (exit 5), e.g. 30s, 10m. Default: wait for good.")
  Duration timeout;

  @Mixin JsonOption json;

  @Override
  int run(Session session) throws InterruptedException {
    String q = queue != null ? session.requireQueue(queue) : session.client().find(id)
        .orElseThrow(() -> new JobNotFoundException(null, id)).queue();
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    JobWatch watch = session.client().watch(q, id);
    if (!json.on) {
      out().println(id + " in queue " + q + ": " + Views.lower(watch.job().status()));
    }
    while (!watch.job().status().isFinished()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        err().println("jobq: job " + id + " is still " + Views.lower(watch.job().status())
            + " after " + Format.duration(timeout));
        err().flush();
        return TIMED_OUT;
      }
      Duration wait = Duration.ofNanos(Math.min(left, READ_WAIT.toNanos()));
      print(EventsCommand.ridingOutages(() -> watch.next(wait), err()));
    }
    Job job = watch.job();
    ended(job);
    return job.status() == JobStatus.COMPLETED ? 0
        : job.status() == JobStatus.CANCELLED ? CANCELLED : FAILED;
  }

  /** The job's events as they came; none (null) while Redis is unreachable. */
  private void print(List<JobEvent> events) {
    if (events == null) {
      return;
    }
    for (JobEvent e : events) {
      out().println(json.on ? dev.jobq.internal.Json.encode(EventView.of(e)) : EventsCommand.line(e));
    }
    out().flush();
  }

  private void ended(Job job) {
    if (json.on) {
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
