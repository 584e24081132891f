package dev.jobq.worker;

import static org.awaitility.Awaitility.await;

import dev.jobq.WorkerInfo;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.RedisClient;

/**
 * For tests on real worker JVMs ({@link WorkerProcessMain}): the launcher, a Redis client to read
 * what their handler recorded, and every worker killed after the test, before the doctor looks
 * at the queue. Each worker's log is in {@code target/worker-processes/}.
 */
abstract class WorkerProcessTestSupport extends WorkerTestSupport {
  WorkerProcesses workers;
  RedisClient jedis;

  @BeforeEach
  void prepareProcesses() {
    workers = new WorkerProcesses(redis.url(), prefix, QUEUE);
    jedis = RedisClient.create(redis.url());
  }

  @AfterEach
  void killWorkers() {
    workers.close();
    jedis.close();
  }

  void awaitRegistered(Process... processes) {
    Set<Long> pids = java.util.Arrays.stream(processes).map(Process::pid).collect(Collectors.toSet());
    await().atMost(PATIENCE).until(() -> broker.workers().stream().map(WorkerInfo::pid)
        .collect(Collectors.toSet()).containsAll(pids));
  }

  /** "id attempt worker" per handler start. */
  List<String> runs() {
    return jedis.lrange(prefix + ":runs", 0, -1);
  }
}
