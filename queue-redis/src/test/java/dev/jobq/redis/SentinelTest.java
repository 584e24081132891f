package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.BrokerConfigurationException;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobClient;
import dev.jobq.JobStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A broker on a Sentinel URL, against a real master and a real sentinel. */
class SentinelTest {
  private static TestRedis master;
  private static TestSentinel sentinel;

  @BeforeAll
  static void start() {
    master = TestRedis.start();
    sentinel = TestSentinel.start("orders", master.port(), 1);
  }

  @AfterAll
  static void stop() {
    sentinel.close();
    master.close();
  }

  @Test
  void aSentinelUrlReachesTheMasterTheSentinelNames() {
    String url = "redis-sentinel://" + sentinel.address() + "/orders?db=1";
    try (RedisBroker broker = RedisBroker.connect(
        RedisConfig.builder().url(url).prefix(TestRedis.uniquePrefix()).build())) {
      JobClient client = JobClient.create(broker);
      String id = client.enqueue(job("a").build()).jobId();

      assertThat(client.require("default", id).status()).isEqualTo(JobStatus.WAITING);
      assertThat(broker.tools().serverInfo("keyspace")).containsKey("db1");
    }
  }

  @Test
  void aMasterNameTheSentinelsDoNotKnowIsRefusedNotWaitedFor() {
    String url = "redis-sentinel://" + sentinel.address() + "/invoices";
    try (RedisBroker broker = RedisBroker.connect(url)) {
      assertThatThrownBy(broker::ping)
          .isInstanceOf(BrokerConfigurationException.class)
          .hasMessageContaining("knows no master named 'invoices'")
          .hasMessageContaining("sentinel monitor");
    }
  }

  @Test
  void sentinelsThatDoNotAnswerAreAnOutage() throws IOException {
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    try (RedisBroker broker = RedisBroker.connect(RedisConfig.builder()
        .url("redis-sentinel://127.0.0.1:" + nobody + "/orders")
        .connectTimeout(Duration.ofMillis(500)).build())) {
      assertThatThrownBy(broker::ping)
          .isInstanceOf(BrokerUnavailableException.class)
          .hasMessageContaining("no sentinel answered");
    }
  }

  @Test
  void enqueueWaitsForReplicasUpToTheTimeoutAndStillEnqueues() {
    // the master has no replica: WAIT answers 0 after the whole timeout
    String url = "redis://127.0.0.1:" + master.port() + "?waitReplicas=1&waitTimeout=300ms";
    try (RedisBroker broker = RedisBroker.connect(
        RedisConfig.builder().url(url).prefix(TestRedis.uniquePrefix()).build())) {
      JobClient client = JobClient.create(broker);
      long start = System.nanoTime();
      String id = client.enqueue(job("a").build()).jobId();
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(tookMs).as("the enqueue waited for the replica").isGreaterThanOrEqualTo(290);
      assertThat(client.require("default", id).status()).isEqualTo(JobStatus.WAITING);
    }
  }
}
