package dev.jobq.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class MessagePackTest {
  /** What Redis's own cmsgpack makes of a table, read back as the scripts' jobs are. */
  private static Map<String, String> packedByRedis(String table) {
    TestRedis redis = TestRedis.shared();
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      byte[] packed = (byte[]) jedis.eval(("return cmsgpack.pack(" + table + ")").getBytes(UTF_8),
          List.of(), List.of());
      return MessagePack.readMap(packed);
    }
  }

  @Test
  void readsEveryNumberAndStringCmsgpackWritesForAJob() {
    Map<String, String> m = packedByRedis("{a = 0, b = 127, c = 255, d = 65535, e = 4294967295,"
        + " f = 1796000000000, g = -1, h = -129, i = -40000, j = -3000000000, k = 0.5,"
        + " s = 'x', t = string.rep('y', 40), u = string.rep('z', 300),"
        + " v = string.rep('w', 70000), yes = true, no = false}");

    assertThat(m).containsEntry("a", "0").containsEntry("b", "127").containsEntry("c", "255")
        .containsEntry("d", "65535").containsEntry("e", "4294967295")
        .containsEntry("f", "1796000000000").containsEntry("g", "-1").containsEntry("h", "-129")
        .containsEntry("i", "-40000").containsEntry("j", "-3000000000").containsEntry("k", "0.5")
        .containsEntry("s", "x").containsEntry("yes", "true").containsEntry("no", "false");
    assertThat(m.get("t")).hasSize(40);
    assertThat(m.get("u")).hasSize(300);
    assertThat(m.get("v")).hasSize(70000);
  }

  @Test
  void readFieldsSkipsEveryOtherKindOfValueUnread() {
    String table = "{a = 0, b = 127, c = 255, d = 65535, e = 4294967295, f = 1796000000000,"
        + " g = -1, h = -129, i = -40000, j = -3000000000, k = 0.5, t = string.rep('y', 40),"
        + " u = string.rep('z', 300), v = string.rep('w', 70000), yes = true, no = false,"
        + " n = {1, {x = 'y'}}, error = 'disk full', error_class = 'E', finished_at = 42}";
    TestRedis redis = TestRedis.shared();
    byte[] packed;
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      packed = (byte[]) jedis.eval(("return cmsgpack.pack(" + table + ")").getBytes(UTF_8),
          List.of(), List.of());
    }

    assertThat(MessagePack.readFields(packed, java.util.Set.of("error", "error_class",
        "finished_at", "missing"))).containsOnly(Map.entry("error", "disk full"),
        Map.entry("error_class", "E"), Map.entry("finished_at", "42"));
    assertThat(MessagePack.readFields(packed, java.util.Set.of("k", "j")))
        .containsOnly(Map.entry("k", "0.5"), Map.entry("j", "-3000000000"));
  }

  @Test
  void aNestedValueReadsAsAbsent() {
    Map<String, String> m = packedByRedis("{type = {1, 2}, headers = {a = 'b'}, status = 'ok'}");

    assertThat(m).containsEntry("status", "ok").containsEntry("type", null)
        .containsEntry("headers", null);
  }

  @Test
  void aValueEditedIntoNonsenseIsAnIllegalArgumentNamingWhere() {
    // a one-field map whose string claims 4 GiB
    byte[] hugeString = {(byte) 0x81, (byte) 0xa1, 's', (byte) 0xdb, -1, -1, -1, -1};
    assertThatThrownBy(() -> MessagePack.readMap(hugeString))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes left");

    byte[] hugeMap = {(byte) 0xdf, 0x7f, -1, -1, -1};
    assertThatThrownBy(() -> MessagePack.readMap(hugeMap))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes left");

    byte[] deep = new byte[100_003];
    deep[0] = (byte) 0x81;
    deep[1] = (byte) 0xa1;
    deep[2] = 'k';
    java.util.Arrays.fill(deep, 3, deep.length, (byte) 0x91);
    assertThatThrownBy(() -> MessagePack.readMap(deep))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");

    assertThatThrownBy(() -> MessagePack.readMap("not a job".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a map");
  }
}
