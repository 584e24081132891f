package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sessions end when idle and are bounded in number; failed sign-ins are forgotten in time. */
class SessionsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final Tokens.Token admin = Tokens.parseList("admin sessions-test-token-0123456789",
      "test").all().get(0);

  @Test
  void aSessionUsedWithinTwelveHoursLivesOnAndOneIdleLongerEnds() {
    Sessions sessions = new Sessions(clock);
    Sessions.Session s = sessions.open(admin);

    clock.advance(Sessions.IDLE.minusMinutes(1));
    assertThat(sessions.find(s.id())).contains(s);
    clock.advance(Sessions.IDLE.minusMinutes(1));
    assertThat(sessions.find(s.id())).as("used again a moment ago").contains(s);
    clock.advance(Sessions.IDLE.plusSeconds(1));

    assertThat(sessions.find(s.id())).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void eachSessionHasItsOwnRandomIdAndCsrf() {
    Sessions sessions = new Sessions(clock);
    Sessions.Session a = sessions.open(admin);
    Sessions.Session b = sessions.open(admin);

    assertThat(a.id()).isNotEqualTo(b.id()).isNotEqualTo(a.csrf());
    assertThat(a.csrf()).isNotEqualTo(b.csrf());
    assertThat(a.acceptsCsrf(b.csrf())).isFalse();
    assertThat(a.acceptsCsrf(a.csrf())).isTrue();
    assertThat(sessions.find("made-up")).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedSessionGivesWayWhenTheyAreAtTheirBound() {
    Sessions sessions = new Sessions(clock);
    Sessions.Session first = sessions.open(admin);
    Sessions.Session second = sessions.open(admin);
    sessions.find(first.id());
    for (int i = 2; i < Sessions.MAX_SESSIONS; i++) {
      sessions.open(admin);
    }

    sessions.open(admin);

    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
    assertThat(sessions.find(second.id())).isEmpty();
    assertThat(sessions.find(first.id())).contains(first);
  }

  @Test
  void anAddressRefusedForUnknownTokensMayTryAgainOnceTheWindowHasPassed() {
    TokenGuessThrottle throttle = new TokenGuessThrottle(clock);
    for (int i = 0; i < TokenGuessThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.tryToken("10.0.0.1", null)).isZero();
    }
    assertThat(throttle.tryToken("10.0.0.1", "token #1 (admin)")).as("even a right token")
        .isEqualTo(TokenGuessThrottle.WINDOW);
    assertThat(throttle.tryToken("10.0.0.2", null)).as("another address").isZero();

    clock.advance(TokenGuessThrottle.WINDOW);

    assertThat(throttle.tryToken("10.0.0.1", null)).isZero();
  }

  @Test
  void aRightTokenDoesNotResetTheCountButKeepsPassingFromTheAddressThatUsedIt() {
    TokenGuessThrottle throttle = new TokenGuessThrottle(clock);
    for (int i = 0; i < TokenGuessThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.tryToken("10.0.0.1", "token #1 (work)")).isZero();
      assertThat(throttle.tryToken("10.0.0.1", null)).isZero();
    }

    assertThat(throttle.tryToken("10.0.0.1", "token #2 (admin)"))
        .as("a right token the address had not used: a guess that learns nothing").isPositive();
    assertThat(throttle.tryToken("10.0.0.1", null)).isPositive();
    assertThat(throttle.tryToken("10.0.0.1", "token #1 (work)"))
        .as("the agent that used its token before keeps its leases").isZero();
  }
}
