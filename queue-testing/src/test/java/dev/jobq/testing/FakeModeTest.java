package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The default mode: jobs collect; the test asserts on them and runs them with drain(). */
@JobqTest
class FakeModeTest {

  @Test
  void enqueuedJobsCollectUntilDrained(JobClient client, TestJobs jobs) {
    AtomicInteger runs = new AtomicInteger();
    jobs.handler("email.send", ctx -> runs.incrementAndGet());
    client.enqueue(JobRequest.builder("email.send").payload("{\"to\":\"ada@example.com\"}").build());

    Job job = jobs.assertEnqueued("email.send", "{ \"to\" : \"ada@example.com\" }");
    assertThat(job.status()).isEqualTo(JobStatus.WAITING);
    assertThat(runs).hasValue(0);

    assertThat(jobs.drain()).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(client.require("default", job.id()).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void assertEnqueuedNamesWhatWasThere(JobClient client, TestJobs jobs) {
    client.enqueue(JobRequest.builder("email.send").payload("{\"to\":\"bob@example.com\"}").build());

    assertThatThrownBy(() -> jobs.assertEnqueued("email.send", "{\"to\":\"ada@example.com\"}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found 0")
        .hasMessageContaining("bob@example.com");
    assertThatThrownBy(() -> jobs.assertEnqueuedCount("email.send", 2))
        .hasMessageContaining("expected 2 'email.send' job(s), found 1");
    assertThatThrownBy(jobs::assertNothingEnqueued).hasMessageContaining("email.send");
  }

  @Test
  void drainRunsRetriesAndDelaysByMovingTheClock(JobClient client, TestJobs jobs) {
    AtomicInteger attempts = new AtomicInteger();
    jobs.handler("flaky", ctx -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("not yet");
      }
      return "done";
    });
    String id = client.enqueue(JobRequest.builder("flaky").maxAttempts(5)
        .backoff(Backoff.fixed(Duration.ofMinutes(10))).delay(Duration.ofHours(1)).build()).jobId();

    assertThat(jobs.drain()).isEqualTo(3);
    Job done = client.require("default", id);
    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.attempt()).isEqualTo(3);
    assertThat(done.result()).isEqualTo("\"done\"");
    assertThat(jobs.clock().instant()).isAfterOrEqualTo(TestJobs.START.plus(Duration.ofMinutes(80)));
  }

  @Test
  void aJobWithoutHandlerIsDeadLetteredNamingTheType(JobClient client, TestJobs jobs) {
    String id = client.enqueue(JobRequest.builder("nobody.handles.this").build()).jobId();

    jobs.drain();

    Job job = client.require("default", id);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.error()).contains("nobody.handles.this");
  }

  @Test
  void drainStopsJobsThatEnqueueJobsForEver(JobClient client, TestJobs jobs) {
    jobs.handler("again", ctx -> client.enqueue(JobRequest.builder("again").build()).jobId());
    client.enqueue(JobRequest.builder("again").build());

    assertThatThrownBy(jobs::drain).isInstanceOf(AssertionError.class)
        .hasMessageContaining("without end");
  }

  @Test
  void startWorkerBelongsToWorkerMode(TestJobs jobs) {
    assertThatThrownBy(jobs::startWorker).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mode = WORKER");
  }
}
