package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.spi.Broker;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every contract topic sees: a fresh broker per test, the clock it runs on, a client over
 * it, and the few steps the tests take again and again. The broker starts empty at {@link
 * #START}; only the test moves its clock.
 */
public interface BrokerUnderTest {
  /** Where every broker's clock starts: a minute boundary, so that per-minute figures are whole. */
  Instant START = Instant.parse("2030-01-01T00:00:00Z");
  String QUEUE = "default";
  String WORKER = "w1";
  Duration LEASE = Duration.ofSeconds(30);

  Broker broker();

  MutableClock clock();

  JobClient client();

  default JobRequest.Builder job(String type) {
    return JobRequest.builder(type);
  }

  default EnqueueResult enqueue(JobRequest.Builder request) {
    return client().enqueue(request.build());
  }

  /** Enqueues a job of type {@code t} under the id {@code id} in the default queue. */
  default String enqueued(String id) {
    return enqueue(job("t").id(id)).jobId();
  }

  default void advance(Duration d) {
    clock().advance(d);
  }

  default List<Job> claim(int max) {
    return broker().claim(QUEUE, WORKER, max, LEASE);
  }

  default List<String> claimIds(int max) {
    return claim(max).stream().map(Job::id).toList();
  }

  /** Claims the next job of the default queue, which must be {@code id}. */
  default Job claimed(String id) {
    List<Job> jobs = claim(1);
    assertThat(jobs).as("the next job to claim").extracting(Job::id).containsExactly(id);
    return jobs.get(0);
  }

  default Job stored(String id) {
    return stored(QUEUE, id);
  }

  default Job stored(String queue, String id) {
    return broker().get(queue, id)
        .orElseThrow(() -> new AssertionError("no job '" + id + "' in queue '" + queue + "'"));
  }

  default JobStatus statusOf(String id) {
    return stored(id).status();
  }

  /** Enqueues, claims and completes a job of the given id: the queue must hold no other. */
  default Job completedJob(String id) {
    enqueued(id);
    Job j = claimed(id);
    assertThat(broker().complete(QUEUE, id, j.token(), null)).isTrue();
    return j;
  }

  /** Enqueues, claims and dead-letters a job of the given id: the queue must hold no other. */
  default Job deadLetteredJob(String id) {
    enqueue(job("t").id(id).maxAttempts(1));
    Job j = claimed(id);
    assertThat(broker().fail(QUEUE, id, j.token(), Failure.of("E", "broken"), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);
    return j;
  }

  /** Enqueues and cancels a job of the given id. */
  default void cancelledJob(String id) {
    enqueued(id);
    client().cancel(QUEUE, id);
  }
}
