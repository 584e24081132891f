package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobStatus;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A worker's name is its own while it lives, and the list of workers forgets the dead. */
class WorkerNamesTest extends WorkerTestSupport {

  /** A heartbeat as a worker that died right after it would have left one. */
  private void heartbeatOf(String name, Instant at, Duration ttl) {
    broker.registerWorker(new WorkerInfo(name, "elsewhere", 4242, List.of(QUEUE), 1, 0, 0, 0,
        at, at, "running"), ttl);
  }

  private boolean listed(String name) {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      return jedis.zscore(prefix + ":workers", name) != null;
    }
  }

  @Test
  void deadWorkersLeaveTheListWithoutAnyoneReadingIt() {
    heartbeatOf("ghost", broker.now(), Duration.ofMillis(200));
    assertThat(listed("ghost")).isTrue();
    startWorker(b -> b.name("living"));
    await().atMost(PATIENCE).until(() -> !listed("ghost"));
    assertThat(listed("living")).isTrue();
  }

  @Test
  void aSecondLiveWorkerOfOneNameIsRefusedAndTheFirstWorksOn() {
    Worker first = startWorker(b -> b.name("twin"));
    Worker second = buildWorker(b -> b.name("twin"));
    assertThatThrownBy(second::start)
        .isInstanceOf(WorkerNameTakenException.class)
        .hasMessageContaining("worker name 'twin' is taken by a live worker")
        .hasMessageContaining("host " + WorkerRuntime.host())
        .hasMessageContaining("pid " + ProcessHandle.current().pid())
        .hasMessageContaining("pick another name (--name) or stop that worker first");
    String id = enqueue("jobq.noop", "null");
    awaitStatus(id, JobStatus.COMPLETED);
    assertThat(job(id).worker()).isEqualTo("twin");

    first.shutdown();
    // a stopped worker's name is free at once
    startWorker(b -> b.name("twin"));
    String next = enqueue("jobq.noop", "null");
    awaitStatus(next, JobStatus.COMPLETED);
  }

  @Test
  void theNameOfAWorkerWhoseHeartbeatIsOverdueMayBeTaken() {
    // a heartbeat every 20 s, its TTL a minute: silent for 50 s, it missed two and is dead,
    // though its hash has not yet expired
    heartbeatOf("phoenix", broker.now().minusSeconds(50), Duration.ofMinutes(1));
    startWorker(b -> b.name("phoenix"));
    String id = enqueue("jobq.noop", "null");
    awaitStatus(id, JobStatus.COMPLETED);
    assertThat(broker.workers()).singleElement()
        .satisfies(w -> assertThat(w.pid()).isEqualTo(ProcessHandle.current().pid()));
  }
}
