package dev.jobq.cli;

import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels jobs that have not finished: waiting, delayed and blocked ones never run; an"
          + " active one is interrupted on its worker at its next lease renewal.",
      "A job that already finished stays as it is (exit 0). An id that names no job is an"
          + " error: the others are still cancelled, and the exit code is 1.",
      "Without --queue each job is looked for in every known queue."
    },
    footer = {
      "",
      "Example:",
      "  jobq cancel 01m837y5g7q3ztqq1tvh 01m837y62bqrqve5x39d --queue emails",
      "  jobq cancel 01m837y5g7q3ztqq1tvh --json"
    })
final class CancelCommand extends RedisCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "The job ids.")
  List<String> ids;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "The jobs' queue.")
  String queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    List<Outcome> outcomes = queue != null ? cancelIn(session, queue) : cancelWherever(session);
    if (json.on) {
      printJson(CancelView.of(outcomes));
    } else {
      print(outcomes);
    }
    return outcomes.stream().anyMatch(o -> o.outcome == CancelOutcome.NOT_FOUND)
        ? Errors.FAILED : 0;
  }

  private List<Outcome> cancelIn(Session session, String q) {
    session.requireQueue(q);
    List<Outcome> out = new ArrayList<>();
    session.client().cancel(q, ids).forEach((id, o) -> out.add(new Outcome(id, q, o)));
    return out;
  }

  /** Finds each id's queue first, then cancels per queue. */
  private List<Outcome> cancelWherever(Session session) {
    Map<String, String> queueOf = new LinkedHashMap<>();
    for (String id : ids) {
      Optional<Job> job = session.client().find(id);
      queueOf.put(id, job.map(Job::queue).orElse(null));
    }
    Map<String, List<String>> byQueue = new LinkedHashMap<>();
    queueOf.forEach((id, q) -> {
      if (q != null) {
        byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(id);
      }
    });
    Map<String, CancelOutcome> results = new LinkedHashMap<>();
    byQueue.forEach((q, qIds) -> results.putAll(session.client().cancel(q, qIds)));
    List<Outcome> out = new ArrayList<>();
    for (String id : ids) {
      out.add(new Outcome(id, queueOf.get(id), results.getOrDefault(id, CancelOutcome.NOT_FOUND)));
    }
    return out;
  }

  private void print(List<Outcome> outcomes) {
    for (Outcome o : outcomes) {
      switch (o.outcome) {
        case CANCELLED -> out().println(o.id + " cancelled (queue " + o.queue + ")");
        case ALREADY_FINISHED -> out().println(
            o.id + " had already finished (queue " + o.queue + "): unchanged");
        case NOT_FOUND -> err().println("jobq: no job with id '" + o.id + "' in "
            + (o.queue != null ? "queue '" + o.queue + "'" : "any known queue"));
      }
    }
    out().flush();
    err().flush();
  }

  record Outcome(String id, String queue, CancelOutcome outcome) {}

  /** {@code cancel --json}: outcome is cancelled, already_finished or not_found. */
  record CancelView(List<Row> results) {
    static CancelView of(List<Outcome> outcomes) {
      return new CancelView(outcomes.stream()
          .map(o -> new Row(o.id(), o.queue(), Views.lower(o.outcome()))).toList());
    }

    record Row(String id, String queue, String outcome) {}
  }
}
