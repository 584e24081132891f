package dev.jobq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobNotFoundException;
import dev.jobq.cli.Views.JobView;
import dev.jobq.internal.Json;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Shows one job whole: payload, attempts, last error and stack trace, result, progress,"
          + " timestamps.",
      "Without --queue the job is looked for in every known queue."
    },
    footer = {
      "",
      "Example:",
      "  jobq show 01m837y5g7q3ztqq1tvh",
      "  jobq show 01m837y5g7q3ztqq1tvh --queue emails --json | jq .payload"
    })
final class ShowCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
  String id;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "The job's queue.")
  String queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    Job job;
    if (queue != null) {
      session.requireQueue(queue);
      job = session.client().require(queue, id);
    } else {
      job = session.client().find(id).orElseThrow(() -> new JobNotFoundException(null, id));
    }
    if (json.on) {
      printJson(JobView.of(job));
    } else {
      print(job, session.broker().now());
    }
    return 0;
  }

  private void print(Job j, Instant now) {
    PrintWriter out = out();
    field("id", j.id());
    field("queue", j.queue());
    field("type", j.type());
    field("status", Views.lower(j.status()));
    field("priority", Views.lower(j.priority()));
    field("attempt", j.attempt() + " of " + j.maxAttempts());
    field("backoff", j.backoff() == null ? "the worker's default" : j.backoff().spec());
    field("timeout", j.timeout() == null ? "the worker's default" : Format.duration(j.timeout()));
    time("created", j.createdAt(), now);
    time("enqueued", j.enqueuedAt(), now);
    time("run at", j.runAt(), now);
    time("started", j.startedAt(), now);
    time("finished", j.finishedAt(), now);
    if (!j.dependsOn().isEmpty()) {
      field("depends on", String.join(", ", j.dependsOn()));
    }
    if (j.escalatedTo() != null) {
      field("escalated", "to " + j.escalatedTo());
    }
    if (!j.headers().isEmpty()) {
      field("headers", new java.util.TreeMap<>(j.headers()).toString());
    }
    if (notEmpty(j.worker())) {
      field("worker", j.worker() + " (lease token " + j.token() + ")");
    }
    block("payload", pretty(j.payload()));
    if (notEmpty(j.progress())) {
      field("progress", j.progress());
    }
    if (notEmpty(j.result())) {
      block("result", pretty(j.result()));
    }
    if (notEmpty(j.error())) {
      field("error", (notEmpty(j.errorClass()) ? j.errorClass() + ": " : "") + j.error());
    }
    if (notEmpty(j.stack())) {
      block("stack", j.stack().stripTrailing());
    }
    out.flush();
  }

  private void field(String name, String value) {
    out().printf("%-10s %s%n", name, value);
  }

  private void time(String name, Instant t, Instant now) {
    if (t != null) {
      String rel = t.isAfter(now) ? "in " + Format.age(now, t) : Format.age(t, now) + " ago";
      field(name, t + " (" + rel + ")");
    }
  }

  private void block(String name, String text) {
    if (!text.contains("\n")) {
      field(name, text);
      return;
    }
    out().println(name + ":");
    text.lines().forEach(line -> out().println("  " + line));
  }

  private static String pretty(String json) {
    if (json == null) {
      return "null";
    }
    try {
      JsonNode node = Json.tree(json);
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (RuntimeException | JsonProcessingException e) {
      return json;
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
