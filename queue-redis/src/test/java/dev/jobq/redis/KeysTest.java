package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class KeysTest {
  @Test
  void everyKeyOfAQueueHashesToTheSameClusterSlot() {
    Keys k = new Keys("jobq", "emails");
    List<String> all = new ArrayList<>();
    k.scriptKeys().forEach(key -> all.add(new String(key, StandardCharsets.UTF_8)));

    int slot = JedisClusterCRC16.getSlot("{emails}");
    assertThat(all).allSatisfy(key -> assertThat(JedisClusterCRC16.getSlot(key)).isEqualTo(slot));
  }

  @Test
  void queuesLandInDifferentSlots() {
    assertThat(JedisClusterCRC16.getSlot(new Keys("jobq", "a").active()))
        .isNotEqualTo(JedisClusterCRC16.getSlot(new Keys("jobq", "b").active()));
  }

  @Test
  void keysSpellThePrefixAndTheQueue() {
    Keys k = new Keys("acme", "emails");
    assertThat(k.waiting(0)).isEqualTo("acme:{emails}:wait:0");
    assertThat(k.jobs()).isEqualTo("acme:{emails}:jobs");
    assertThat(Keys.workers("acme")).isEqualTo("acme:workers");
  }

  @Test
  void keysOfNoQueueShareOneSlotInAClusterAndKeepTheirNamesOnAServer() {
    RedisConfig server = RedisConfig.builder().url("redis://h:1").prefix("acme").build();
    RedisConfig cluster = RedisConfig.builder().url("redis-cluster://h:1").prefix("acme").build();
    assertThat(Keys.queues(Keys.globalBase(server))).isEqualTo("acme:queues");
    String base = Keys.globalBase(cluster);
    assertThat(Keys.queues(base)).isEqualTo("acme:{acme}:queues");
    assertThat(JedisClusterCRC16.getSlot(Keys.workers(base)))
        .isEqualTo(JedisClusterCRC16.getSlot(Keys.queues(base)))
        .isEqualTo(JedisClusterCRC16.getSlot(Keys.worker(base, "host:42:x")));
  }
}
