package dev.jobq.http;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing tokens on the sign-in page: after {@link #MAX_FAILURES} failed sign-ins
 * from one address within {@link #WINDOW}, that address is refused until the window has passed
 * since its first failure. A success clears the address's count. At most {@link #MAX_ADDRESSES}
 * addresses are remembered, the oldest forgotten first.
 */
final class SignInThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_ADDRESSES = 10_000;

  private record Failures(long firstMs, int count) {}

  private final Clock clock;
  private final LinkedHashMap<String, Failures> byAddress = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long the address must still wait before it may try again; zero when it may now. */
  synchronized Duration waitFor(String address) {
    Failures f = current(address);
    if (f == null || f.count() < MAX_FAILURES) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(f.firstMs() + WINDOW.toMillis() - clock.millis());
  }

  synchronized void failed(String address) {
    Failures f = current(address);
    byAddress.put(address, f == null ? new Failures(clock.millis(), 1)
        : new Failures(f.firstMs(), f.count() + 1));
  }

  synchronized void succeeded(String address) {
    byAddress.remove(address);
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
