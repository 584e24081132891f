package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerDependenciesTest extends WorkerTestSupport {

  /** 50 diamonds (A before B and C, D after both) through three workers of four threads. */
  @Test
  void severalWorkersStartNoChildBeforeAllItsParentsCompleted() {
    for (int w = 0; w < 3; w++) {
      startWorker(b -> b.concurrency(4).handler("step", ctx -> {
        Thread.sleep(1 + (ctx.id().hashCode() & 3));
        return null;
      }));
    }
    Map<String, List<String>> parents = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      String a = "a" + i, b = "b" + i, c = "c" + i, d = "d" + i;
      List<JobRequest> graph = new ArrayList<>();
      graph.add(JobRequest.builder("step").queue(QUEUE).id(d).dependsOn(b, c).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(b).dependsOn(a).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(c).dependsOn(a).build());
      graph.add(JobRequest.builder("step").queue(QUEUE).id(a).build());
      client.enqueueGraph(graph);
      parents.put(b, List.of(a));
      parents.put(c, List.of(a));
      parents.put(d, List.of(b, c));
      parents.put(a, List.of());
    }

    parents.keySet().forEach(id -> awaitStatus(id, JobStatus.COMPLETED));
    parents.forEach((child, ps) -> {
      Job started = client.require(QUEUE, child);
      for (String p : ps) {
        assertThat(started.startedAt()).as("%s started after its parent %s completed", child, p)
            .isAfterOrEqualTo(client.require(QUEUE, p).finishedAt());
      }
    });
    assertThat(broker.stats(QUEUE).blocked()).isZero();
  }
}
