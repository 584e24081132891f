package dev.jobq.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Slows down guessing tokens, at sign-in and as a bearer token to any route: after
 * {@link #MAX_FAILURES} unknown tokens from one address within {@link #WINDOW}, that address is
 * refused, even with a right token, until the window has passed since its first failure; only
 * the tokens it had already used before it was refused still pass, so that agents sharing the
 * address keep their leases while a guess, right or wrong, learns nothing. A right token does
 * not clear the count (a caller holding one token could otherwise guess another).
 * At most {@link #MAX_ADDRESSES} addresses are remembered, the oldest forgotten first. The
 * address is the connection's: behind a reverse proxy every caller shares the proxy's.
 */
final class TokenGuessThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_ADDRESSES = 10_000;
  /** The most tokens remembered as used per address (there are few tokens). */
  private static final int MAX_USED = 100;

  /** An address's unknown tokens since {@code firstMs}, and the known ones it used. */
  private record Failures(long firstMs, int count, Set<String> used) {}

  private final Clock clock;
  private final LinkedHashMap<String, Failures> byAddress = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  TokenGuessThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Checks and records one try in one step, so that parallel guesses cannot all pass the check
   * before any is recorded: how long the address must still wait (the try is refused and not
   * counted), or zero when the try may go on, counted as a failure unless {@code known} names
   * the token it was (null: none of ours).
   */
  synchronized Duration tryToken(String address, String known) {
    Failures f = current(address);
    if (f == null) {
      f = new Failures(clock.millis(), 0, new HashSet<>());
      byAddress.put(address, f);
    }
    if (f.count() >= MAX_FAILURES && !(known != null && f.used().contains(known))) {
      return Duration.ofMillis(f.firstMs() + WINDOW.toMillis() - clock.millis());
    }
    if (known == null) {
      byAddress.put(address, new Failures(f.firstMs(), f.count() + 1, f.used()));
    } else if (f.used().size() < MAX_USED) {
      f.used().add(known);
    }
    return Duration.ZERO;
  }

  /**
   * Tries the token of the request: throws 429, with Retry-After, when its address must wait.
   */
  void tryToken(Context ctx, String known) {
    Duration wait = tryToken(ctx.ip(), known);
    if (wait.isZero()) {
      return;
    }
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    throw new Problem(429, "too-many-guesses", "Too many unknown tokens", MAX_FAILURES
        + " unknown tokens came from " + ctx.ip() + " within " + WINDOW.toMinutes()
        + " minutes: try again in " + seconds + " s, with a token from the token file");
  }

  private Failures current(String address) {
    Failures f = byAddress.get(address);
    if (f != null && clock.millis() - f.firstMs() >= WINDOW.toMillis()) {
      byAddress.remove(address);
      return null;
    }
    return f;
  }
}
