package dev.jobq.cli;

import dev.jobq.redis.DoctorReport.Finding;
import dev.jobq.redis.DoctorReport;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that every job of a queue (or of all queues) is in exactly one of its lists and"
          + " sets and that its status says which. Exits 1 while problems remain.",
      "With --repair it fixes what is safe to fix (ids without a job, jobs in no list or set,"
          + " an active job without a lease: it goes to the reaper) and says what it did; the"
          + " rest is reported for a person to look at. It also moves a queue written by jobq"
          + " before 0.2 (a hash per job) to this layout: stop that version's workers first."
    },
    footer = {"", "Example:", "  jobq doctor --queue emails --repair"})
final class DoctorCommand extends RedisCommand {
  @Mixin QueueFilter queue;

  @Option(names = "--repair", description = "Fix what is safe to fix.")
  boolean repair;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    List<String> queues = queue.name != null
        ? List.of(session.requireQueue(queue.name)) : List.copyOf(session.client().queues());
    List<DoctorReport> reports = new ArrayList<>();
    for (String q : queues) {
      reports.add(session.broker().tools().doctor(q, repair));
    }
    if (json.on) {
      printJson(new DoctorView(reports));
    } else {
      for (DoctorReport r : reports) {
        out().println("queue " + r.queue() + ": " + r.jobsChecked() + " jobs checked, "
            + (r.findings().isEmpty() ? "no problems" : r.findings().size() + " problem(s)"));
        for (Finding f : r.findings()) {
          out().println("  " + (f.repaired() ? "repaired: " : f.repairable() ? "repairable: " : "")
              + f.problem());
        }
      }
      out().flush();
    }
    return reports.stream().allMatch(DoctorReport::healthy) ? 0 : 1;
  }

  record DoctorView(List<DoctorReport> queues) {}
}
