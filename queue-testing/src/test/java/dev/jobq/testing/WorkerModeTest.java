package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Worker: a real Worker over the in-memory broker, on its own threads. */
@JobqTest(mode = JobqTest.Mode.WORKER)
class WorkerModeTest {

  @Test
  void aRealWorkerRunsTheJobsOnItsOwnThreads(JobClient client, TestJobs jobs) throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    jobs.handler("resize", ctx -> {
      threads.add(Thread.currentThread().getName());
      return ctx.payload(Integer.class) * 2;
    });
    jobs.startWorker("images");

    String id = client.enqueue(JobRequest.builder("resize").queue("images").payload("21").build())
        .jobId();

    assertThat(client.awaitResult(id, Integer.class, Duration.ofSeconds(10))).isEqualTo(42);
    assertThat(threads).allMatch(t -> t.startsWith("jobq-job-"));
  }

  @Test
  void handlersAreSetBeforeTheWorkerStarts(TestJobs jobs) {
    jobs.handler("early", ctx -> null).startWorker();

    assertThatThrownBy(() -> jobs.handler("late", ctx -> null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the worker starts");
    assertThatThrownBy(jobs::drain).isInstanceOf(IllegalStateException.class);
  }
}
