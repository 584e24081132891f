package dev.jobq.cli;

import dev.jobq.Backoff;
import dev.jobq.EnqueueResult;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.JobqException;
import dev.jobq.Priority;
import dev.jobq.cli.Converters.BackoffConverter;
import dev.jobq.cli.Converters.DurationConverter;
import dev.jobq.cli.Converters.InstantConverter;
import dev.jobq.cli.Converters.PriorityConverter;
import dev.jobq.cli.Views.EnqueueView;
import dev.jobq.internal.JobFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description = {
      "Enqueues a job, or a batch of jobs read from stdin as JSON lines.",
      "",
      "With --stdin (or TYPE '-') each line is one job:",
      "  {\"type\":…, \"payload\":…, \"queue\":…, \"priority\":…, \"delay\":\"5s\", \"runAt\":…,"
          + " \"maxAttempts\":…, \"backoff\":…, \"timeout\":…, \"id\":…,"
          + " \"replaceFinished\":true, \"dependsOn\":[\"id\",…], \"runIfParentsFail\":true,"
          + " \"unique\":\"key\", \"uniqueFor\":\"1d\", \"headers\":{\"name\":\"value\"},"
          + " \"escalation\":{\"type\":…, \"queue\":…, \"priority\":…}}",
      "The flags are the defaults for what a line leaves out (--depends-on and"
          + " --run-if-parents-fail add to every line's). Every line is checked first: one bad"
          + " line refuses the batch, naming its number, and nothing is enqueued. When a line has"
          + " dependsOn, the whole input goes in as one graph (one queue, at most 10000 jobs),"
          + " parents first; a cycle or an unknown parent refuses it.",
      "Prints the job id, its status, its position in the queue and the estimated wait."
    },
    footer = {
      "",
      "Example:",
      "  jobq enqueue email.send --payload '{\"to\":\"ada@example.com\"}' --queue emails",
      "  jobq enqueue report.build --payload @report.json --delay 10m --priority high",
      "  ID=$(jobq enqueue jobq.echo --payload '{}' --quiet)",
      "  jobq enqueue invoice.send --payload '{\"order\":42}' --unique invoice:42 --unique-for 1d",
      "  jobq enqueue invoice.send --payload @invoice.json --handler-path /opt/jobq/handlers",
      "  echo '{\"type\":\"jobq.echo\",\"payload\":{\"n\":1}}' | jobq enqueue --stdin --json"
    })
final class EnqueueCommand extends RedisCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE",
      description = "The job type, which names its handler; '-' reads JSON lines like --stdin.")
  String type;

  @Option(names = "--stdin", description = "Read jobs as JSON lines from standard input.")
  boolean stdin;

  @Option(names = "--payload", paramLabel = "JSON|@FILE",
      description = "The payload: JSON text, or @ and a file holding it. Default: null.")
  String payload;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "Default: default.")
  String queue;

  @Option(names = "--priority", paramLabel = "PRIORITY", converter = PriorityConverter.class,
      description = "critical, high, normal or low. Default: normal.")
  Priority priority;

  @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Run no sooner than this from now, such as 30s, 5m, 2h.")
  Duration delay;

  @Option(names = "--run-at", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Run no sooner than this ISO-8601 time, such as 2030-01-01T09:00:00Z.")
  Instant runAt;

  @Option(names = "--max-attempts", paramLabel = "N",
      description = "Attempts before the job goes to the failed list. Default: 4.")
  Integer maxAttempts;

  @Option(names = "--backoff", paramLabel = "SPEC", converter = BackoffConverter.class,
      description = "Delay between attempts: fixed:10s, linear:5s, exponential:5s:3,"
          + " fibonacci:1s or list:5s,15s,45s, optionally with ;jitter=0.2 and ;cap=1h."
          + " Default: the worker's (exponential:5s:3;jitter=0.2).")
  Backoff backoff;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long one attempt may run. Default: the worker's (10m).")
  Duration timeout;

  @Option(names = "--id", paramLabel = "ID",
      description = "Your own job id: enqueueing it again while that job is kept, unfinished"
          + " or finished, changes nothing and answers the existing job (a resend runs nothing"
          + " twice).")
  String id;

  @Option(names = "--replace-finished",
      description = "With --id: when the id names a finished job (completed, failed or"
          + " cancelled), run the job again in its place. An unfinished one is still answered.")
  boolean replaceFinished;

  @Option(names = "--depends-on", paramLabel = "ID", split = ",",
      description = "Jobs of the same queue that must complete first: the job waits, blocked,"
          + " until the last of them completes, and is cancelled if one fails for good or is"
          + " cancelled.")
  List<String> dependsOn = new ArrayList<>();

  @Option(names = "--run-if-parents-fail",
      description = "With --depends-on: run once every parent has ended, however it ended.")
  boolean runIfParentsFail;

  @Option(names = "--escalate-queue", paramLabel = "QUEUE",
      description = "When its attempts are exhausted, hand the job to a new one in this queue,"
          + " one priority higher, instead of the failed list.")
  String escalateQueue;

  @Option(names = "--escalate-type", paramLabel = "TYPE",
      description = "When its attempts are exhausted, hand the job to a new one of this type"
          + " (with --escalate-queue: there).")
  String escalateType;

  @Option(names = "--unique", paramLabel = "KEY",
      description = "Enqueue only if no job of the queue took this key within --unique-for;"
          + " a duplicate enqueues nothing and answers the first job.")
  String uniqueKey;

  @Option(names = "--unique-for", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "1h", description = "With --unique: how long the key holds. Default: 1h.")
  Duration uniqueFor;

  @Mixin JsonOption json;

  @Option(names = "--quiet", description = "Print only the job id(s), one per line.")
  boolean quiet;

  @Option(names = {"--handler-path", "--classpath"}, paramLabel = "PATHS",
      description = "Jars, or directories of jars, separated by ':': every job passes through"
          + " the EnqueueMiddleware they list (java.util.ServiceLoader), as it would in your"
          + " services. $JOBQ_HANDLER_PATH, as for the worker.")
  String handlerPath;

  /** The payload text, its file read once. */
  private String payloadJson;

  @Override
  int run(Session session) throws IOException {
    payloadJson = payloadText();
    boolean batch = stdin || "-".equals(type);
    List<JobRequest> requests = batch ? readBatch() : List.of(single());
    List<EnqueueResult> results;
    try (URLClassLoader jars = middlewareJars()) {
      ClassLoader loader = jars != null ? jars : Jobq.class.getClassLoader();
      results = enqueue(session.client().withDiscoveredMiddleware(loader), requests);
    }
    if (json.on) {
      printJson(batch ? BatchView.of(results) : EnqueueView.of(results.get(0)));
    } else if (quiet) {
      results.forEach(r -> out().println(r.jobId()));
    } else if (batch) {
      out().println(summary(results));
    } else {
      out().println(describe(results.get(0)));
    }
    return 0;
  }

  /** The jars of --handler-path, for their EnqueueMiddleware; null when none are named. */
  private URLClassLoader middlewareJars() {
    String path = jobq.env().string(handlerPath, "JOBQ_HANDLER_PATH", null);
    return path == null ? null : HandlerPath.loader(path, Jobq.class.getClassLoader());
  }

  private JobRequest single() {
    if (type == null) {
      throw new UsageError("missing the job TYPE: give one, such as 'jobq enqueue email.send',"
          + " or --stdin to read JSON lines");
    }
    JobRequest.Builder b = template(type);
    if (id != null) {
      b.id(id);
    }
    if (uniqueKey != null) {
      b.unique(uniqueKey, uniqueFor);
    }
    return b.build();
  }

  private List<JobRequest> readBatch() throws IOException {
    if (type != null && !type.equals("-")) {
      throw new UsageError("give a job TYPE or --stdin, not both (got TYPE '" + type + "')");
    }
    if (id != null) {
      throw new UsageError("--id cannot apply to a batch: put \"id\" on each line instead");
    }
    if (uniqueKey != null) {
      throw new UsageError("--unique cannot apply to a batch: it would keep one job of it");
    }
    BufferedReader in = new BufferedReader(
        new InputStreamReader(jobq.stdin(), StandardCharsets.UTF_8));
    return new JobLines(this::template).read(in);
  }

  /** A builder with every flag applied: the single job, or the defaults of each line. */
  private JobRequest.Builder template(String jobType) {
    JobRequest.Builder b = JobRequest.builder(jobType).payload(payloadJson);
    if (queue != null) {
      b.queue(queue);
    }
    if (priority != null) {
      b.priority(priority);
    }
    b.delay(delay).runAt(runAt).backoff(backoff).timeout(timeout).dependsOn(dependsOn);
    if (runIfParentsFail) {
      b.runEvenIfParentsFail();
    }
    if (replaceFinished) {
      b.replaceFinished();
    }
    if (maxAttempts != null) {
      b.maxAttempts(maxAttempts);
    }
    if (escalateQueue != null || escalateType != null) {
      b.escalateTo(new dev.jobq.Escalation(escalateType, escalateQueue, null));
    }
    return b;
  }

  private String payloadText() throws IOException {
    if (payload == null) {
      return "null";
    }
    if (!payload.startsWith("@")) {
      return payload;
    }
    Path file = Path.of(payload.substring(1));
    if (!Files.isReadable(file)) {
      throw new UsageError("cannot read the payload file '" + file + "': it does not exist or is"
          + " not readable");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /**
   * In batches of the client's limit; a failure part-way says how many went in before it. Jobs
   * that wait for others go in as one graph, checked whole (cycles, parents) as from Java.
   */
  private static List<EnqueueResult> enqueue(JobClient client, List<JobRequest> requests) {
    if (JobFields.anyDependsOn(requests)) {
      return client.enqueueGraph(requests);
    }
    List<EnqueueResult> results = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += JobClient.MAX_BATCH) {
      List<JobRequest> chunk =
          requests.subList(from, Math.min(requests.size(), from + JobClient.MAX_BATCH));
      try {
        results.addAll(client.enqueueAll(chunk));
      } catch (JobqException e) {
        if (results.isEmpty()) {
          throw e;
        }
        throw new CommandFailed(e.getMessage() + "; " + results.size() + " of " + requests.size()
            + " jobs were enqueued before this failure");
      }
    }
    return results;
  }

  static String describe(EnqueueResult r) {
    String status = Views.lower(r.status());
    if (!r.created()) {
      return r.jobId() + " already exists in queue " + r.queue() + " (" + status
          + "): nothing was enqueued";
    }
    String where = r.jobId() + " enqueued to " + r.queue() + ": " + status;
    if (r.status() == JobStatus.DELAYED) {
      return where + ", runs in " + Format.duration(r.estimatedWait());
    }
    if (r.status() != JobStatus.WAITING) {
      return where;
    }
    String wait = r.estimatedWait() == null ? "unknown (no recent throughput)"
        : "~" + Format.duration(r.estimatedWait());
    return where + ", position " + r.position() + (r.position() == 0 ? " (next)" : "")
        + ", estimated wait " + wait;
  }

  private static String summary(List<EnqueueResult> results) {
    Map<String, Integer> byQueue = new TreeMap<>();
    int existing = 0;
    for (EnqueueResult r : results) {
      if (r.created()) {
        byQueue.merge(r.queue(), 1, Integer::sum);
      } else {
        existing++;
      }
    }
    StringBuilder s = new StringBuilder("enqueued " + (results.size() - existing) + " job(s)");
    if (!byQueue.isEmpty()) {
      List<String> parts = new ArrayList<>();
      byQueue.forEach((q, n) -> parts.add(q + " " + n));
      s.append(" (").append(String.join(", ", parts)).append(')');
    }
    if (existing > 0) {
      s.append("; ").append(existing).append(" already existed unfinished (same id) and were"
          + " not enqueued again");
    }
    return s.toString();
  }

  /** {@code enqueue --stdin --json}. */
  record BatchView(long enqueued, long existing, List<EnqueueView> jobs) {
    static BatchView of(List<EnqueueResult> results) {
      return new BatchView(results.stream().filter(EnqueueResult::created).count(),
          results.stream().filter(r -> !r.created()).count(),
          results.stream().map(EnqueueView::of).toList());
    }
  }
}
