package dev.jobq.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answered the last call. Every thread reports here, so an outage is logged once
 * when it starts and once when it ends, not once per failed attempt of every thread.
 */
final class BrokerHealth {
  static final Duration MIN_PAUSE = Duration.ofMillis(100);
  static final Duration MAX_PAUSE = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);

  private final AtomicBoolean down = new AtomicBoolean();
  private final WorkerListener listener;
  private volatile long downSinceNanos;

  BrokerHealth(WorkerListener listener) {
    this.listener = listener;
  }

  void failed(String during, RuntimeException e) {
    if (down.compareAndSet(false, true)) {
      downSinceNanos = System.nanoTime();
      listener.redisUnavailable();
      log.warn("Redis is unreachable (during {}): {}; retrying with backoff up to {} ms, "
          + "finished results wait in the local outbox", during, e.getMessage(), MAX_PAUSE.toMillis());
    }
  }

  void succeeded() {
    if (down.get() && down.compareAndSet(true, false)) {
      long nanos = System.nanoTime() - downSinceNanos;
      listener.redisAvailable(nanos);
      log.info("Redis is reachable again after {} ms", nanos / 1_000_000);
    }
  }

  /** How long Redis has not answered; 0 while it answers. */
  long downNanos() {
    long since = downSinceNanos;
    return down.get() ? Math.max(0, System.nanoTime() - since) : 0;
  }

  boolean isDown() {
    return down.get();
  }

  /** A capped doubling pause for one retrying loop: 100 ms, 200 ms, … 5 s. */
  static final class Pause {
    private long nextMillis = MIN_PAUSE.toMillis();

    void reset() {
      nextMillis = MIN_PAUSE.toMillis();
    }

    /** Sleeps for the next pause; an interrupt ends it early (the caller checks why). */
    void sleep() throws InterruptedException {
      long ms = nextMillis;
      nextMillis = Math.min(nextMillis * 2, MAX_PAUSE.toMillis());
      Thread.sleep(ms);
    }
  }
}
