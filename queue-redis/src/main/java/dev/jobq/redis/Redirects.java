package dev.jobq.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * One call's patience with a slot that moves between masters. While a slot migrates, its old
 * master answers ASK for the keys it no longer holds and TRYAGAIN for a script whose keys are
 * split between the two, or not all there: Redis refuses such a call before running it, so the
 * call can be sent again until the move ends (the new owner then answers, or the old one says
 * MOVED). A call refused once is sent again at once (the ordinary way to a slot that moved);
 * after a second refusal each try waits, 1 ms, then twice as long each time up to {@link
 * #MAX_PAUSE}; {@link #PATIENCE} after the first refusal the call gives up, and the refusal
 * reaches the caller as an outage.
 */
final class Redirects {
  /**
   * How long a call waits for a moving slot: longer than moving a queue's keys usually takes (a
   * {@code MIGRATE} of each, one key and round trip at a time), short enough that a move that
   * hangs (a reshard stopped half-way) is reported as an outage, not waited out in silence.
   */
  static final Duration PATIENCE = Duration.ofSeconds(5);
  static final Duration MAX_PAUSE = Duration.ofMillis(100);

  private long deadline;
  private int tries;
  private long pauseMs = 1;

  /**
   * Called on each refusal: throws it when the patience is spent (or the thread is interrupted,
   * the interrupt kept), else pauses before the next try (not before the first).
   */
  void next(JedisDataException refusal) {
    long now = System.nanoTime();
    if (tries++ == 0) {
      deadline = now + PATIENCE.toNanos();
      return;
    }
    if (now - deadline >= 0) {
      throw refusal;
    }
    try {
      Thread.sleep(Math.min(pauseMs, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refusal;
    }
    pauseMs = Math.min(pauseMs * 2, MAX_PAUSE.toMillis());
  }

  /**
   * The refusal of a moving slot in an error, or null: MOVED, ASK or TRYAGAIN itself, or the
   * first of them among the queued commands of a transaction Redis discarded for them (Jedis
   * keeps those errors beside EXECABORT).
   */
  static JedisDataException refusal(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof JedisRedirectionException || message.startsWith("TRYAGAIN")) {
      return e;
    }
    if (message.startsWith("EXECABORT")) {
      for (Throwable queued : e.getSuppressed()) {
        if (queued instanceof JedisDataException d && refusal(d) == d) {
          return d;
        }
      }
    }
    return null;
  }
}
