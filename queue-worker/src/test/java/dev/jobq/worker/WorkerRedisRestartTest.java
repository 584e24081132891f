package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.redis.TestRedis;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis restarting from a snapshot older than outcomes it had accepted, on a Redis of the test's
 * own whose snapshots (RDB, no append-only file) the test takes.
 */
class WorkerRedisRestartTest extends WorkerTestSupport {

  @Override
  TestRedis redis() {
    return TestRedis.start();
  }

  private void snapshot() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      assertThat(jedis.save()).isEqualTo("OK");
    }
  }

  @Test
  void aCompletionLostByARestartFromAnOlderSnapshotIsDeliveredAgain() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    startWorker(b -> b.handler("test.held", ctx -> {
      finish.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      return "done";
    }));
    String id = enqueue("test.held", "null", r -> r.maxAttempts(1));
    Job running = awaitStatus(id, JobStatus.ACTIVE);
    snapshot(); // the job is ACTIVE in it, under this attempt's lease token
    finish.countDown();
    awaitStatus(id, JobStatus.COMPLETED);

    redis.kill();
    redis.restart();
    // Back from the snapshot, the job is ACTIVE again, its lease renewed by no one: on its last
    // attempt the reaper would dead-letter it, unless the worker sends its completion again.
    await().atMost(PATIENCE).ignoreException(BrokerUnavailableException.class).until(() -> EnumSet.of(JobStatus.COMPLETED, JobStatus.FAILED)
        .contains(job(id).status()));
    Job done = job(id);
    assertThat(done.status()).as("error: %s %s", done.errorClass(), done.error())
        .isEqualTo(JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("\"done\"");
    assertThat(done.token()).isEqualTo(running.token());

    // and the worker works on
    String next = enqueue("jobq.noop", "null");
    awaitStatus(next, JobStatus.COMPLETED);
  }
}
