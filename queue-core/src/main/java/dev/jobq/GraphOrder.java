package dev.jobq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders the jobs of {@link JobClient#enqueueGraph} parents first, after checking that they
 * share one queue, that no id appears twice and that the dependencies have no cycle.
 */
final class GraphOrder {
  private final Map<String, JobRequest> byId = new LinkedHashMap<>();
  private final Map<String, Boolean> done = new HashMap<>(); // false while on the path being visited
  private final List<JobRequest> out;

  private GraphOrder(int size) {
    out = new ArrayList<>(size);
  }

  /** The requests with each one's parents in the graph before it; throws, naming the fault, if they do not form a graph. */
  static List<JobRequest> parentsFirst(List<JobRequest> requests) {
    GraphOrder order = new GraphOrder(requests.size());
    order.index(requests);
    for (String id : order.byId.keySet()) {
      order.visit(id, new ArrayList<>());
    }
    return order.out;
  }

  private void index(List<JobRequest> requests) {
    JobRequest first = requests.isEmpty() ? null : requests.get(0);
    for (JobRequest r : requests) {
      if (!r.queue().equals(first.queue())) {
        throw new InvalidJobException("a graph lives in one queue: job " + r.id() + " is in '"
            + r.queue() + "', job " + first.id() + " in '" + first.queue() + "'");
      }
      if (byId.put(r.id(), r) != null) {
        throw new InvalidJobException("job id " + r.id() + " appears twice in the graph");
      }
    }
  }

  /** Depth first: a job's parents in the graph before the job; a job met again on its own path is a cycle. */
  private void visit(String id, List<String> path) {
    JobRequest job = byId.get(id);
    Boolean state = done.get(id);
    if (job == null || Boolean.TRUE.equals(state)) {
      return;
    }
    path.add(id);
    if (Boolean.FALSE.equals(state)) {
      List<String> cycle = path.subList(path.indexOf(id), path.size());
      throw new InvalidJobException("the dependencies form a cycle: " + String.join(" -> ", cycle)
          + "; nothing was enqueued");
    }
    done.put(id, false);
    for (String parent : job.dependsOn()) {
      visit(parent, path);
    }
    done.put(id, true);
    path.remove(path.size() - 1);
    out.add(job);
  }
}
