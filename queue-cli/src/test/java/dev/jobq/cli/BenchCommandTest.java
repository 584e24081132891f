package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.redis.TestCluster;
import dev.jobq.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The shape of the bench's report, never its speed: figures go in docs/PERFORMANCE.md. */
class BenchCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void reportsEveryFigureAndLeavesNoKeyBehind() {
    Cli.Result r = cli.run("bench", "--jobs", "300", "--warmup", "0", "--pickup-samples", "5",
        "--priorities", "high,low", "--concurrency", "4", "--batch", "50", "--producers", "2",
        "--metrics", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode report = r.json();
    for (String figure : new String[] {"enqueueSinglePerSecond", "enqueueBatchPerSecond",
        "endToEndPerSecond", "bytesPerWaitingJob", "bytesPerCompletedJob"}) {
      assertThat(report.get(figure).asDouble()).as(figure).isPositive();
    }
    assertThat(report.get("pickupP99Ms").asDouble())
        .isGreaterThanOrEqualTo(report.get("pickupP50Ms").asDouble());
    assertThat(report.get("commandsPerJob").get("evalsha").asDouble()).isPositive();
    assertThat(report.get("plan").get("priorities").toString()).contains("HIGH", "LOW");
    assertThat(report.get("plan").get("producers").asInt()).isEqualTo(2);
    assertThat(report.get("plan").get("metrics").asBoolean()).isTrue();
    // one server is one shard, holding every job
    assertThat(report.get("shards").get("shards")).hasSize(1);
    assertThat(report.get("shards").get("shards").get(0).get("jobs").asLong()).isEqualTo(300);
    try (Jedis jedis = new Jedis(TestRedis.shared().host(), TestRedis.shared().port())) {
      assertThat(jedis.keys(cli.prefix() + "-bench-*")).as("keys the bench left").isEmpty();
    }
  }

  @Test
  void textReportNamesEachMeasureBesideTheRedisReference() {
    Cli.Result r = cli.run("bench", "--jobs", "100", "--warmup", "0", "--pickup-samples", "3");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("enqueue, one call per job", "enqueue, batches of 500",
        "end to end, jobq.noop", "pickup latency p50 / p95 / p99", "Redis memory per waiting job",
        "Redis CPU per 1000 jobs", "EVALSHA, 50 clients");
    assertThat(r.out()).doesNotContain("worker metrics on");
  }

  @Test
  void httpMeasuresComeBesideTheDirectOnesAndLeaveNoKeyBehind() {
    Cli.Result r = cli.run("bench", "--jobs", "300", "--warmup", "0", "--pickup-samples", "3",
        "--batch", "100", "--http", "--http-agents", "2", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode http = r.json().get("http");
    assertThat(http.get("agents").asInt()).isEqualTo(2);
    for (String figure : new String[] {"enqueueBatchPerSecond", "endToEndPerSecond",
        "pickupP50Ms"}) {
      assertThat(http.get(figure).asDouble()).as(figure).isPositive();
    }
    assertThat(http.get("pickupP99Ms").asDouble())
        .isGreaterThanOrEqualTo(http.get("pickupP50Ms").asDouble());
    try (Jedis jedis = new Jedis(TestRedis.shared().host(), TestRedis.shared().port())) {
      assertThat(jedis.keys(cli.prefix() + "-bench-*")).as("keys the bench left").isEmpty();
    }
  }

  @Test
  void textReportPrintsTheHttpTableOnlyWhenAskedFor() {
    Cli.Result direct = cli.run("bench", "--jobs", "100", "--warmup", "0",
        "--pickup-samples", "2");
    Cli.Result http = cli.run("bench", "--jobs", "100", "--warmup", "0", "--pickup-samples", "2",
        "--http", "--http-agents", "1");

    assertThat(direct.out()).doesNotContain("Through the HTTP API");
    assertThat(http.exitCode()).as(http.toString()).isZero();
    assertThat(http.out()).contains("Through the HTTP API", "HTTP / direct",
        "enqueue, arrays of 500", "1 agent(s)");
  }

  @Test
  void onItsOwnClusterTheQueuesSpreadOverTheMastersAndEachShardIsMeasured() {
    Cli.Result r = cli.run("bench", "--start-cluster", "--queues", "6", "--jobs", "600",
        "--warmup", "0", "--pickup-samples", "3", "--batch", "100", "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode shards = r.json().get("shards").get("shards");
    assertThat(shards).hasSize(3);
    for (JsonNode shard : shards) {
      assertThat(shard.get("node").asText()).startsWith("127.0.0.1:");
      assertThat(shard.get("queues")).as(shard.toString()).hasSize(2);
      assertThat(shard.get("jobs").asLong()).isEqualTo(200);
      assertThat(shard.get("redisCpuSecondsPer1000Jobs").asDouble()).isPositive();
      assertThat(shard.get("redisMicrosPerJob").asDouble()).isPositive();
    }
    assertThat(r.json().get("shards").get("shardCeilingPerSecond").asDouble()).isPositive();
  }

  @Test
  void onAClusterUrlTheTextReportHasAShardTableAndNoKeyIsLeftOnAnyMaster() {
    try (TestCluster cluster = TestCluster.start();
        Cli onCluster = Cli.fresh().env("REDIS_URL", cluster.url())) {
      Cli.Result r = onCluster.run("bench", "--queues", "3", "--jobs", "300", "--warmup", "100",
          "--pickup-samples", "3", "--batch", "50");

      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("Per shard", "Redis CPU per 1000 jobs", "Redis busy",
          "Projection: a shard on a core of its own", "cores of clients");
      for (int port : cluster.ports()) {
        assertThat(r.out()).contains("127.0.0.1:" + port);
        try (Jedis node = cluster.node(port)) {
          assertThat(node.keys(onCluster.prefix() + "-bench-*")).as("keys left on " + port)
              .isEmpty();
        }
      }
    }
  }

  @Test
  void startingARedisAndAClusterAtOnceIsAUsageError() {
    Cli.Result r = cli.run("bench", "--start-redis", "--start-cluster");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--start-redis and --start-cluster exclude each other");
  }

  @Test
  void aGivenRedisUrlWithARedisOfItsOwnIsAUsageErrorWhicheverComesFirst() {
    Cli.Result cluster = cli.run("bench", "--start-cluster", "--redis-url", "redis://x:1");
    Cli.Result redis = cli.run("--redis-url", "redis://x:1", "bench", "--start-redis");

    assertThat(cluster.exitCode()).as(cluster.toString()).isEqualTo(2);
    assertThat(cluster.err()).contains("--start-cluster and --redis-url exclude each other");
    assertThat(redis.exitCode()).as(redis.toString()).isEqualTo(2);
    assertThat(redis.err()).contains("--start-redis and --redis-url exclude each other");
  }

  @Test
  void zeroJobsIsAUsageErrorNamingTheOption() {
    Cli.Result r = cli.run("bench", "--jobs", "0");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--jobs must be 1 or more, not 0");
  }
}
