package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  @Test
  void readsHostPortUserPasswordAndDatabaseFromTheUrl() {
    RedisConfig c = RedisConfig.fromUrl("redis://app:s3cret@cache.internal:6380/2");
    assertThat(c.host()).isEqualTo("cache.internal");
    assertThat(c.port()).isEqualTo(6380);
    assertThat(c.user()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.database()).isEqualTo(2);
    assertThat(c.tls()).isFalse();
  }

  @Test
  void passwordWithoutUserAndDefaults() {
    RedisConfig c = RedisConfig.fromUrl("rediss://:pw@localhost");
    assertThat(c.user()).isNull();
    assertThat(c.password()).isEqualTo("pw");
    assertThat(c.port()).isEqualTo(6379);
    assertThat(c.database()).isZero();
    assertThat(c.tls()).isTrue();
    assertThat(RedisConfig.fromUrl("redis://localhost").password()).isNull();
  }

  @Test
  void maskedUrlNeverShowsThePassword() {
    assertThat(RedisConfig.fromUrl("redis://app:s3cret@h:1/3").maskedUrl())
        .isEqualTo("redis://app:***@h:1/3");
    assertThat(RedisConfig.fromUrl("redis://h:1").maskedUrl()).isEqualTo("redis://h:1");
  }

  @Test
  void badUrlsAreRefusedNamingTheUrlWithoutItsPassword() {
    assertThatThrownBy(() -> RedisConfig.fromUrl("http://h:1"))
        .hasMessageContaining("http://h:1").hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://u:topsecret@h:1/abc"))
        .hasMessageContaining("database").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis:///0")).hasMessageContaining("host");
  }

  @Test
  void environmentGivesTheUrlOrItsParts() {
    assertThat(RedisConfig.fromEnvironment(Map.of("REDIS_URL", "redis://a:1")).build().host())
        .isEqualTo("a");
    RedisConfig parts = RedisConfig.fromEnvironment(Map.of("REDIS_HOST", "b", "REDIS_PORT", "7",
        "REDIS_PASSWORD", "p w@", "REDIS_DB", "4", "JOBQ_PREFIX", "acme")).build();
    assertThat(parts.host()).isEqualTo("b");
    assertThat(parts.port()).isEqualTo(7);
    assertThat(parts.password()).isEqualTo("p w@");
    assertThat(parts.database()).isEqualTo(4);
    assertThat(parts.prefix()).isEqualTo("acme");
    assertThat(RedisConfig.fromEnvironment(Map.of()).build().url())
        .hasToString(RedisConfig.DEFAULT_URL);
  }

  @Test
  void prefixAndLimitsAreChecked() {
    assertThatThrownBy(() -> RedisConfig.builder().prefix("a b").build())
        .hasMessageContaining("'a b'");
    assertThatThrownBy(() -> RedisConfig.builder().poolSize(0).build())
        .hasMessageContaining("pool size").hasMessageContaining("0");
    assertThatThrownBy(() -> RedisConfig.builder().completedRetention(java.time.Duration.ZERO).build())
        .hasMessageContaining("retention");
  }

  @Test
  void sentinelUrlNamesTheSentinelsTheMasterAndTheDatabase() {
    RedisConfig c = RedisConfig.fromUrl(
        "redis-sentinel://app:s3cret@s1.internal:26379,s2.internal:26380,s3.internal/orders?db=3");
    assertThat(c.sentinel()).isTrue();
    assertThat(c.tls()).isFalse();
    assertThat(c.hosts()).containsExactly("s1.internal:26379", "s2.internal:26380",
        "s3.internal:26379");
    assertThat(c.masterName()).isEqualTo("orders");
    assertThat(c.database()).isEqualTo(3);
    assertThat(c.user()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.maskedUrl()).isEqualTo(
        "redis-sentinel://app:***@s1.internal:26379,s2.internal:26380,s3.internal/orders?db=3");
    assertThat(RedisConfig.fromUrl("rediss-sentinel://s1:1/m").tls()).isTrue();
    assertThat(RedisConfig.fromUrl("redis://h:1").sentinel()).isFalse();
  }

  @Test
  void badSentinelUrlsNameTheWrongPartAndShowTheForm() {
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-sentinel://:pw@s1:26379"))
        .hasMessageContaining("names no master")
        .hasMessageContaining("redis-sentinel://[user:password@]host:port[,host:port…]/master-name")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-sentinel://s1:26379,s2:x/m"))
        .hasMessageContaining("host 's2:x' has port 'x'");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-sentinel://s1:26379/m?db=two"))
        .hasMessageContaining("db=two");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-sentinel://s1:26379/m/0"))
        .hasMessageContaining("master name 'm/0'");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://a:1,b:2"))
        .hasMessageContaining("one server");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://h:1?colour=red"))
        .hasMessageContaining("unknown option 'colour'");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-sentinel://:p@ss@s1:1/m"))
        .hasMessageContaining("%40");
    assertThat(RedisConfig.fromUrl("redis-sentinel://:p%40ss@s1:1/m").password()).isEqualTo("p@ss");
  }

  @Test
  void clusterUrlsNameSeedNodesAndNoDatabase() {
    RedisConfig c = RedisConfig.fromUrl("rediss-cluster://u:p@n1:7000,n2");
    assertThat(c.cluster()).isTrue();
    assertThat(c.sentinel()).isFalse();
    assertThat(c.tls()).isTrue();
    assertThat(c.hosts()).containsExactly("n1:7000", "n2:6379");
    assertThat(c.user()).isEqualTo("u");
    assertThat(c.password()).isEqualTo("p");
    assertThat(RedisConfig.fromUrl("redis-cluster://n1:7000/0").database()).isZero();
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-cluster://n1:7000/2"))
        .hasMessageContaining("database 0 only").hasMessageContaining("redis-cluster://");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-cluster://n1:7000?db=1"))
        .hasMessageContaining("database 0 only");
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis-clustr://n1:7000"))
        .hasMessageContaining("redis-cluster://");
  }

  @Test
  void replicasToWaitForComeFromTheUrlOrTheBuilder() {
    RedisConfig fromUrl = RedisConfig.fromUrl("redis://h:1/2?waitReplicas=1&waitTimeout=100ms");
    assertThat(fromUrl.waitReplicas()).isEqualTo(1);
    assertThat(fromUrl.waitTimeout()).isEqualTo(java.time.Duration.ofMillis(100));
    assertThat(fromUrl.database()).isEqualTo(2);
    RedisConfig built = RedisConfig.builder().url("redis://h:1?waitReplicas=1").waitReplicas(2)
        .build();
    assertThat(built.waitReplicas()).isEqualTo(2);
    assertThat(built.waitTimeout()).isEqualTo(RedisConfig.DEFAULT_WAIT_TIMEOUT);
    assertThat(RedisConfig.fromUrl("redis://h:1").waitReplicas()).isZero();
    assertThatThrownBy(() -> RedisConfig.fromUrl("redis://h:1?waitReplicas=1&waitTimeout=0s"))
        .hasMessageContaining("waitTimeout=0s").hasMessageContaining("waitTimeout=100ms");
  }

  @Test
  void sentinelCredentialsComeFromTheEnvironment() {
    RedisConfig c = RedisConfig.fromEnvironment(Map.of("REDIS_URL", "redis-sentinel://:m@s:1/m",
        "REDIS_SENTINEL_PASSWORD", "sp")).build();
    assertThat(c.password()).isEqualTo("m");
    assertThat(c.sentinelPassword()).isEqualTo("sp");
    assertThat(c.sentinelUser()).isNull();
  }
}
