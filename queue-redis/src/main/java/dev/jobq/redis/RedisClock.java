package dev.jobq.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Now" as Redis sees it. Leases and delays run on Redis's clock, not the host's, so a worker
 * whose host clock is off still agrees with the others. Redis {@code TIME} is read at connect and
 * every minute after; in between, "now" is that reading plus the time the monotonic clock
 * ({@link System#nanoTime}) has counted since. The host's wall clock is read only until Redis
 * first answers: a step of it (an NTP correction, a VM resumed) moves nothing, where an offset to
 * it would have moved every lease this worker writes or reaps by the size of the step. A
 * configured clock replaces all of this (tests).
 */
final class RedisClock {
  private static final Logger log = LoggerFactory.getLogger(RedisClock.class);
  private static final long RESYNC_NANOS = Duration.ofMinutes(1).toNanos();

  private final Connections redis;
  private final Clock fixed;
  private final Clock host;
  private final LongSupplier nanoTime;
  /** Redis's clock (ms) and the monotonic reading (ns) at the same instant; null before the first. */
  private volatile Reading reading;
  private volatile long syncedAt;

  private record Reading(long redisMs, long nanos) {}

  RedisClock(Connections redis, Clock fixed, Clock host) {
    this(redis, fixed, host, System::nanoTime);
  }

  RedisClock(Connections redis, Clock fixed, Clock host, LongSupplier nanoTime) {
    this.redis = redis;
    this.fixed = fixed;
    this.host = host;
    this.nanoTime = nanoTime;
    this.syncedAt = nanoTime.getAsLong() - 2 * RESYNC_NANOS;
  }

  long millis() {
    if (fixed != null) {
      return fixed.millis();
    }
    if (nanoTime.getAsLong() - syncedAt > RESYNC_NANOS) {
      sync();
    }
    Reading r = reading;
    if (r == null) {
      return host.millis();
    }
    return r.redisMs + Math.floorDiv(nanoTime.getAsLong() - r.nanos, 1_000_000L);
  }

  /** Reads Redis's clock now; while Redis is unreachable the last reading stays. */
  void sync() {
    syncedAt = nanoTime.getAsLong();
    if (fixed != null) {
      return;
    }
    try {
      long before = nanoTime.getAsLong();
      List<String> time = redis.call(j -> j.time());
      long after = nanoTime.getAsLong();
      long redisMs = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
      // Redis read its clock somewhere in the round trip: its middle is the best guess
      reading = new Reading(redisMs, before + (after - before) / 2);
    } catch (RuntimeException e) {
      log.debug("cannot read the Redis clock yet: {}", e.getMessage());
    }
  }
}
