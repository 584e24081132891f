package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inline: an enqueue returns after its jobs ran, on the caller's thread. */
@JobqTest(mode = JobqTest.Mode.INLINE)
class InlineModeTest {
  static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

  @Test
  void theJobRunsOnTheCallersThreadBeforeEnqueueReturns(JobClient client, TestJobs jobs) {
    List<String> seen = new ArrayList<>();
    jobs.handler("audit", ctx -> {
      seen.add(Thread.currentThread().getName() + " " + REQUEST.get());
      return null;
    });
    REQUEST.set("request-7");
    try {
      String id = client.enqueue(JobRequest.builder("audit").build()).jobId();

      assertThat(client.require("default", id).status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(seen).containsExactly(Thread.currentThread().getName() + " request-7");
    } finally {
      REQUEST.remove();
    }
  }

  @Test
  void jobsThatHandlersEnqueueRunToo(JobClient client, TestJobs jobs) {
    jobs.handler("order.place", ctx -> client.enqueue(JobRequest.builder("email.send")
        .payload(ctx.payload()).build()).jobId());
    jobs.handler("email.send", ctx -> "sent");

    client.enqueue(JobRequest.builder("order.place").payload("{\"order\":1}").build());

    Job mail = jobs.assertEnqueued("email.send", "{\"order\":1}");
    assertThat(mail.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(jobs.enqueued()).extracting(Job::status)
        .containsOnly(JobStatus.COMPLETED);
  }

  @Test
  void aMethodCanAskForAnotherMode(JobClient client, TestJobs jobs) {
    assertThat(jobs.mode()).isEqualTo(JobqTest.Mode.INLINE);
  }

  @Test
  @JobqTest(mode = JobqTest.Mode.FAKE)
  void theMethodsModeWins(JobClient client, TestJobs jobs) {
    client.enqueue(JobRequest.builder("audit").build());
    assertThat(jobs.mode()).isEqualTo(JobqTest.Mode.FAKE);
    assertThat(jobs.enqueued("audit")).extracting(Job::status).containsExactly(JobStatus.WAITING);
  }
}
