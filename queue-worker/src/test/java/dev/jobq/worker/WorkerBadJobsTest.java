package dev.jobq.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Jobs that a raw client stored with settings no worker can honour: each ends FAILED, naming
 * the value, its lease dropped, and the worker goes on with the rest.
 */
class WorkerBadJobsTest extends WorkerTestSupport {

  /** Sets one field of a stored job, as an operator with redis-cli and Lua could. */
  private void editStored(String id, String field, String value) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      jedis.eval("local j = cmsgpack.unpack(redis.call('HGET', KEYS[1], ARGV[1]))"
          + " j[ARGV[2]] = ARGV[3] redis.call('HSET', KEYS[1], ARGV[1], cmsgpack.pack(j))",
          List.of(prefix + ":{" + QUEUE + "}:jobs"), List.of(id, field, value));
    }
  }

  /** A field of a stored job that cannot be read as a {@link Job}. */
  private String storedField(String id, String field) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      return (String) jedis.eval("return cmsgpack.unpack(redis.call('HGET', KEYS[1], ARGV[1]))"
          + "[ARGV[2]]", List.of(prefix + ":{" + QUEUE + "}:jobs"), List.of(id, field));
    }
  }

  @Test
  void aTimeoutOutOfRangeFailsTheJobForGoodAndDropsItsLease() {
    String bad = enqueue("jobq.noop", "null", r -> r.maxAttempts(3).timeout(Duration.ofMinutes(1)));
    editStored(bad, "timeout_ms", "10000000000000");
    Worker worker = startWorker(b -> b);
    Job failed = awaitStatus(bad, JobStatus.FAILED);
    assertThat(failed.errorClass()).isEqualTo("dev.jobq.InvalidJobException");
    assertThat(failed.error()).startsWith("timeout_ms 10000000000000 is out of range 1..604800000");
    assertThat(failed.attempt()).as("failed for good, its other attempts unspent").isEqualTo(1);
    await().atMost(PATIENCE).until(() -> worker.heldJobs() == 0);

    String good = enqueue("jobq.noop", "null");
    awaitStatus(good, JobStatus.COMPLETED);
    assertThat(job(bad).status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void aNonsenseOrOverlongBackoffFailsTheJobNamingTheSpec() {
    String nonsense = enqueue("jobq.noop", "null", r -> r.maxAttempts(3));
    editStored(nonsense, "backoff", "quadratic:5s");
    String overlong = enqueue("jobq.noop", "null", r -> r.maxAttempts(3));
    editStored(overlong, "backoff", "fixed:400d");
    Worker worker = startWorker(b -> b);
    // such a job cannot be read as a Job: its stored fields tell
    await().atMost(PATIENCE).until(() -> "FAILED".equals(storedField(nonsense, "status"))
        && "FAILED".equals(storedField(overlong, "status")));
    assertThat(storedField(nonsense, "error")).contains("quadratic:5s");
    assertThat(storedField(overlong, "error")).contains("400d is over the limit of 365d");
    await().atMost(PATIENCE).until(() -> worker.heldJobs() == 0);

    String good = enqueue("jobq.noop", "null");
    awaitStatus(good, JobStatus.COMPLETED);
  }
}
