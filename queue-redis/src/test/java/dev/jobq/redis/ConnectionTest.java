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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionTest {
  @Test
  void unreachableRedisIsAClearErrorWithTheUrlMasked() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RedisBroker broker = RedisBroker.connect(RedisConfig.builder()
        .url("redis://app:topsecret@127.0.0.1:" + closedPort)
        .connectTimeout(Duration.ofMillis(500)).build())) {
      assertThatThrownBy(broker::ping)
          .isInstanceOf(BrokerUnavailableException.class)
          .hasMessageContaining("redis://app:***@127.0.0.1:" + closedPort)
          .hasMessageNotContaining("topsecret");
    }
  }

  @Test
  void aScriptRefusedByAReadOnlyReplicaIsRedisUnavailableNotAnError() throws IOException {
    int noMaster;
    try (ServerSocket s = new ServerSocket(0)) {
      noMaster = s.getLocalPort();
    }
    try (TestRedis replica =
            TestRedis.start("--replicaof", "127.0.0.1", Integer.toString(noMaster));
        RedisBroker broker = RedisBroker.connect(replica.url())) {
      // enqueue writes whatever the queue holds (claim writes nothing on an empty queue)
      assertThatThrownBy(() -> broker.enqueue(List.of(job("a").build())))
          .isInstanceOf(BrokerUnavailableException.class)
          .hasMessageContaining("READONLY");
    }
  }

  @Test
  void scriptsAreReloadedWhenRedisForgetsThem() {
    try (Fixture f = new Fixture()) {
      f.client.enqueue(job("a").build());
      f.jedis.scriptFlush();

      assertThat(f.client.enqueue(job("b").build()).position()).isEqualTo(1);
    }
  }

  @Test
  void brokerUsesRedisTimeNotTheHostClock() throws Exception {
    try (Fixture f = new Fixture();
        RedisBroker real = RedisBroker.connect(f.redis.url())) {
      long redisMs = Long.parseLong(f.jedis.time().get(0)) * 1000;
      assertThat(real.now().toEpochMilli()).isCloseTo(redisMs, org.assertj.core.data.Offset.offset(2000L));
      assertThat(f.broker.now()).isEqualTo(Fixture.START);
    }
  }

  @Test
  void aclUserWithPasswordConnectsAndAWrongPasswordIsRefusedClearly() {
    try (TestRedis secured = TestRedis.start("--user", "default", "off",
        "--user", "app", "on", ">s3cret", "~*", "&*", "+@all")) {
      String base = "127.0.0.1:" + secured.port();
      try (RedisBroker broker = RedisBroker.connect("redis://app:s3cret@" + base)) {
        JobClient client = JobClient.create(broker);
        String id = client.enqueue(job("a").build()).jobId();
        assertThat(client.require("default", id).status()).isEqualTo(JobStatus.WAITING);
      }
      try (RedisBroker wrong = RedisBroker.connect("redis://app:nope@" + base)) {
        assertThatThrownBy(wrong::ping)
            .isInstanceOf(BrokerConfigurationException.class)
            .hasMessageContaining("app:***")
            .hasMessageNotContaining("nope");
      }
    }
  }

  @Test
  void brokerRecoversAfterRedisRestarts() {
    try (TestRedis own = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(own.url())
            .connectTimeout(Duration.ofMillis(500)).build())) {
      JobClient client = JobClient.create(broker);
      String id = client.enqueue(job("a").build()).jobId();

      own.stop();
      assertThatThrownBy(() -> client.enqueue(job("b").build()))
          .isInstanceOf(BrokerUnavailableException.class);
      own.restart();

      assertThat(client.require("default", id).status()).isEqualTo(JobStatus.WAITING);
      assertThat(client.enqueue(job("c").build()).position()).isEqualTo(1);
    }
  }

  @Test
  void warnsOfServerSettingsThatLoseJobs() {
    try (TestRedis risky = TestRedis.start("--maxmemory-policy", "allkeys-lru");
        RedisBroker broker = RedisBroker.connect(risky.url())) {
      assertThat(broker.tools().serverWarnings())
          .anySatisfy(w -> assertThat(w).contains("allkeys-lru").contains("noeviction"))
          .anySatisfy(w -> assertThat(w).contains("appendonly yes"));
    }
    try (TestRedis safe = TestRedis.start("--appendonly", "yes");
        RedisBroker broker = RedisBroker.connect(safe.url())) {
      assertThat(broker.tools().serverWarnings()).isEmpty();
      // one server is one node, named by its address, with no warnings
      String node = "127.0.0.1:" + safe.port();
      assertThat(broker.tools().serverWarningsByNode()).isEqualTo(Map.of(node, List.of()));
      assertThat(broker.tools().serverInfoByNode("server")).containsOnlyKeys(node);
      assertThat(broker.tools().nodeOf("default")).isEqualTo(node);
    }
  }
}
