package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerDependenciesTest extends WorkerTestSupport {

  /**
   * 50 diamonds (A before B and C, D after both) through three workers of four threads. Each
   * handler looks at its parents when it starts: in Redis's own order of events, not by the
   * timestamps, which come from the callers' clocks and may be a millisecond apart.
   */
  @Test
  void severalWorkersStartNoChildBeforeAllItsParentsCompleted() {
    Map<String, List<String>> parents = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> early = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int w = 0; w < 3; w++) {
      startWorker(b -> b.concurrency(4).handler("step", ctx -> {
        for (String p : parents.getOrDefault(ctx.id(), List.of())) {
          if (client.require(QUEUE, p).status() != JobStatus.COMPLETED) {
            early.add(ctx.id() + " started before " + p + " completed");
          }
        }
        Thread.sleep(1 + (ctx.id().hashCode() & 3));
        return null;
      }));
    }
    for (int i = 0; i < 50; i++) {
      String a = "a" + i, b = "b" + i, c = "c" + i, d = "d" + i;
      List<JobRequest> graph = new ArrayList<>();
      graph.add(JobRequest.builder("step").queue(QUEUE).id(d).dependsOn(b, c).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(b).dependsOn(a).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(c).dependsOn(a).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(a).build());
      parents.put(b, List.of(a));
      parents.put(c, List.of(a));
      parents.put(d, List.of(b, c));
      parents.put(a, List.of());
      client.enqueueGraph(graph);
    }

    parents.keySet().forEach(id -> awaitStatus(id, JobStatus.COMPLETED));
    assertThat(early).isEmpty();
    assertThat(broker.stats(QUEUE).blocked()).isZero();
  }
}
