package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobStatus;
import dev.jobq.redis.TestCluster;
import dev.jobq.redis.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jobq commands through a Redis Cluster URL, over queues on the three masters of a real
 * cluster: what failed with MOVED before cluster support.
 */
class ClusterCommandsTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void enqueueStatsShowDoctorAndClearWorkOverQueuesOnEveryMaster() {
    String prefix = TestRedis.uniquePrefix();
    List<String> queues = List.copyOf(cluster.queuePerMaster(prefix).keySet());
    try (Cli cli = Cli.withEnv(Map.of("REDIS_URL", cluster.url(), "JOBQ_PREFIX", prefix))) {
      List<String> ids = new ArrayList<>();
      for (String q : queues) {
        Cli.Result r = cli.run("enqueue", "jobq.echo", "--queue", q);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        ids.add(r.out().substring(0, r.out().indexOf(' ')));
      }

      JsonNode stats = cli.run("stats", "--json").json();
      List<String> listed = new ArrayList<>();
      stats.get("queues").forEach(q -> {
        listed.add(q.get("queue").asText());
        assertThat(q.get("waiting").asLong()).as("waiting in " + q.get("queue")).isEqualTo(1);
      });
      assertThat(listed).containsExactlyInAnyOrderElementsOf(queues);

      Cli.Result show = cli.run("show", ids.get(2));
      assertThat(show.exitCode()).as(show.toString()).isZero();
      assertThat(show.out()).contains(ids.get(2)).contains(queues.get(2));

      Cli.Result doctor = cli.run("doctor");
      assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
      queues.forEach(q -> assertThat(doctor.out()).contains("queue " + q + ": 1 jobs checked"));

      Cli.Result clear = cli.run("clear", "--queue", queues.get(1), "--confirm");
      assertThat(clear.exitCode()).as(clear.toString()).isZero();
      assertThat(cli.client().get(queues.get(1), ids.get(1))).isEmpty();
      assertThat(cli.client().require(queues.get(0), ids.get(0)).status())
          .isEqualTo(JobStatus.WAITING);
    }
  }

  @Test
  void aServerUrlAtAClusterNodeFailsInOneLineNamingTheClusterUrl() {
    String node = "127.0.0.1:" + cluster.ports().get(0);
    try (Cli cli = Cli.withEnv(Map.of("REDIS_URL", "redis://" + node,
        "JOBQ_PREFIX", TestRedis.uniquePrefix()))) {
      Cli.Result r = cli.run("stats");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("is a Redis Cluster node: use redis-cluster://" + node);
    }
  }
}
