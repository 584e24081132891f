package dev.jobq.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Now" as Redis sees it. Leases and delays run on Redis's clock, not the host's, so a worker
 * whose host clock is off still agrees with the others: the offset to Redis {@code TIME} is
 * measured at connect and every minute after. A configured clock replaces it (tests).
 */
final class RedisClock {
  private static final Logger log = LoggerFactory.getLogger(RedisClock.class);
  private static final long RESYNC_NANOS = Duration.ofMinutes(1).toNanos();

  private final Connections redis;
  private final Clock fixed;
  private final Clock host;
  private volatile long offsetMs;
  private volatile long syncedAt = System.nanoTime() - 2 * RESYNC_NANOS;

  RedisClock(Connections redis, Clock fixed, Clock host) {
    this.redis = redis;
    this.fixed = fixed;
    this.host = host;
  }

  long millis() {
    if (fixed != null) {
      return fixed.millis();
    }
    if (System.nanoTime() - syncedAt > RESYNC_NANOS) {
      sync();
    }
    return host.millis() + offsetMs;
  }

  /** Measures the offset now; while Redis is unreachable the last offset stays. */
  void sync() {
    syncedAt = System.nanoTime();
    if (fixed != null) {
      return;
    }
    try {
      long before = host.millis();
      List<String> time = redis.call(j -> j.time());
      long after = host.millis();
      long redisMs = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
      offsetMs = redisMs - (before + after) / 2;
    } catch (RuntimeException e) {
      log.debug("cannot read the Redis clock yet: {}", e.getMessage());
    }
  }
}
