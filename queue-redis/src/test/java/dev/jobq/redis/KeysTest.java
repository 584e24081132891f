package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class KeysTest {
  @Test
  void everyKeyOfAQueueHashesToTheSameClusterSlot() {
    Keys k = new Keys("jobq", "emails");
    List<String> all = new ArrayList<>(k.scriptKeys());
    all.add(k.job("01hzy8k2m3n4p5q6r7s8"));
    all.add(k.job("order:42/retry@eu"));

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
    assertThat(k.job("42")).isEqualTo("acme:{emails}:job:42");
    assertThat(Keys.workers("acme")).isEqualTo("acme:workers");
  }
}
