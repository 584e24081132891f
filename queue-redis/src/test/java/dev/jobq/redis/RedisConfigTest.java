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
}
