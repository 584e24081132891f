package dev.jobq.redis;

import dev.jobq.redis.ProtocolModel.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks the model test makes after every step, on Redis as it is ({@link QueueView}) and
 * on what the model knows: each answers the broken rules, empty when all hold.
 */
final class ModelChecks {
  private static final Pattern PARENT_ENDED = Pattern.compile("parent (\\S+) ended (\\S+)");

  private ModelChecks() {}

  /** What holds in any state: placement, the doctor, the leases the model knows, counters. */
  static List<String> state(QueueView now, ProtocolModel model, DoctorReport doctor) {
    List<String> broken = new ArrayList<>(now.placementProblems());
    doctor.findings().forEach(f -> broken.add("doctor: " + f.problem()));
    broken.addAll(leases(now, model));
    broken.addAll(counters(now, model));
    return broken;
  }

  /**
   * Redis runs exactly the attempts the model saw claimed and not ended: each ACTIVE job under
   * the token of its live attempt, and no other ACTIVE job.
   */
  static List<String> leases(QueueView now, ProtocolModel model) {
    List<String> broken = new ArrayList<>();
    for (Attempt a : model.live.values()) {
      if (!"ACTIVE".equals(now.status(a.id())) || now.token(a.id()) != a.token()) {
        broken.add("attempt " + a + " should be running, but job " + a.id() + " is "
            + now.status(a.id()) + (now.status(a.id()) == null ? "" : " with token "
            + now.token(a.id())));
      }
    }
    for (String id : now.withStatus("ACTIVE")) {
      if (!model.live.containsKey(id)) {
        broken.add("job " + id + " is ACTIVE (token " + now.token(id) + ") under no claim"
            + " that is still running");
      }
    }
    return broken;
  }

  /** The stats counters agree with the answers Redis gave in this history. */
  static List<String> counters(QueueView now, ProtocolModel model) {
    List<String> broken = new ArrayList<>();
    expect(broken, "enqueued", now.stat("enqueued"), model.created);
    expect(broken, "completed", now.stat("completed"), model.completed);
    expect(broken, "released", now.stat("released"), model.released);
    expect(broken, "failed - stalled", now.stat("failed") - now.stat("stalled"), model.failCalls);
    atLeast(broken, "dead", now.stat("dead"), "failed", now.count("failed"));
    atLeast(broken, "completed", now.stat("completed"), "completed", now.count("completed"));
    return broken;
  }

  private static void expect(List<String> broken, String counter, long actual, long expected) {
    if (actual != expected) {
      broken.add("stats " + counter + " is " + actual + ", the accepted calls say " + expected);
    }
  }

  private static void atLeast(List<String> broken, String counter, long actual, String index,
      long size) {
    if (actual < size) {
      broken.add("stats " + counter + " is " + actual + " but the " + index + " index holds "
          + size + " jobs");
    }
  }

  /**
   * What a step may do to blocked jobs: one leaves BLOCKED only when every parent it waited for
   * has ended (completed, gone, or with runs-anyway ended in any way, even if retried since),
   * and one cancelled for a parent (not by the step itself) names a parent it depends on now.
   * A parent id used again after the child was created names another job: it is not looked at.
   */
  static List<String> dependencies(QueueView before, QueueView now, Set<String> cancelledByStep,
      ProtocolModel model) {
    List<String> broken = new ArrayList<>();
    for (String id : before.withStatus("BLOCKED")) {
      String status = now.status(id);
      if (status == null || "BLOCKED".equals(status)) {
        continue;
      }
      boolean anyway = "1".equals(now.field(id, "deps_anyway"));
      if ("CANCELLED".equals(status)) {
        if (!cancelledByStep.contains(id)) {
          broken.addAll(cancelledForParent(now, id, anyway));
        }
        continue;
      }
      int born = model.born.getOrDefault(id, 0);
      for (String parent : now.parents(id)) {
        String ps = now.status(parent);
        boolean ended = ps == null || "COMPLETED".equals(ps)
            || anyway && (now.isFinished(parent) || model.endedOnce.contains(parent))
            || model.born.getOrDefault(parent, 0) > born;
        if (!ended) {
          broken.add("job " + id + " left BLOCKED (now " + status + ") while its parent "
              + parent + " is " + ps + (anyway ? ", not ended once," : "") + " (deps "
              + now.field(id, "deps") + ")");
        }
      }
    }
    return broken;
  }

  private static List<String> cancelledForParent(QueueView now, String id, boolean anyway) {
    String error = String.valueOf(now.field(id, "error"));
    Matcher m = PARENT_ENDED.matcher(error);
    if (!m.find()) {
      return List.of("blocked job " + id + " was cancelled, not by the step, with error '"
          + error + "'");
    }
    if (anyway || !now.parents(id).contains(m.group(1))) {
      return List.of("job " + id + " was cancelled because " + m.group() + ", but it depends on "
          + now.field(id, "deps") + (anyway ? " and runs even if they fail" : ""));
    }
    return List.of();
  }
}
