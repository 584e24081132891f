package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestCluster;
import dev.jobq.redis.TestRedis;
import dev.jobq.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One worker on a Redis Cluster URL serving three queues whose slots live on three different
 * masters of a real cluster: it claims, heartbeats and completes on each queue's own node, and
 * its idle wait over the three wakes for jobs sent while it waits.
 */
class ClusterWorkerTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);

  private TestCluster cluster;
  private RedisBroker broker;
  private Worker worker;

  @BeforeEach
  void start() {
    cluster = TestCluster.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.shutdown();
      worker.awaitTermination(Duration.ofSeconds(10));
    }
    if (broker != null) {
      broker.close();
    }
    cluster.close();
  }

  @Test
  void aWorkerServingQueuesOnThreeMastersCompletesJobsOnAllOfThem() throws Exception {
    String prefix = TestRedis.uniquePrefix();
    Map<String, Integer> queues = cluster.queuePerMaster(prefix);
    assertThat(Set.copyOf(queues.values())).as("masters holding the queues").hasSize(3);
    broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix).build());
    JobClient client = JobClient.create(broker);
    Set<String> ranOn = ConcurrentHashMap.newKeySet();
    worker = Worker.builder(broker).queues(List.copyOf(queues.keySet())).concurrency(2)
        .name("cluster-worker")
        .handler("note", ctx -> ranOn.add(ctx.queue()))
        .build();

    List<String> ids = new ArrayList<>();
    for (String q : queues.keySet()) {
      ids.add(client.enqueue(JobRequest.builder("note").queue(q).build()).jobId()); // before start
    }
    worker.start();
    for (String q : queues.keySet()) {
      ids.add(client.enqueue(JobRequest.builder("note").queue(q).build()).jobId()); // while idle
    }

    for (String id : ids) {
      assertThat(client.await(id, AWAIT).status()).as("job " + id).isEqualTo(JobStatus.COMPLETED);
    }
    assertThat(ranOn).containsExactlyInAnyOrderElementsOf(queues.keySet());
    assertThat(broker.workers()).anySatisfy(w -> assertThat(w.id()).contains("cluster-worker"));
  }
}
