package dev.jobq.http;

import dev.jobq.http.Tokens.Token;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's sign-in sessions, in this server's memory: a session id (the cookie) names the
 * token it was opened with and a CSRF token that every write must also send. A session ends when
 * signed out, after {@link #IDLE} without a request, or when {@link #MAX_SESSIONS} newer ones
 * push out the least recently used; a restart ends them all. Sessions are kept by a digest of
 * their id, so a lookup's timing tells nothing of the ids held.
 */
final class Sessions {
  static final Duration IDLE = Duration.ofHours(12);
  static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One signed-in browser: the token it signed in with and the CSRF token of its writes. */
  record Session(String id, Token token, String csrf) {
    boolean acceptsCsrf(String presented) {
      return presented != null && MessageDigest.isEqual(
          presented.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
    }
  }

  private record Entry(Session session, long lastUsedMs) {}

  private final Clock clock;
  /** By digest of the id, least recently used first. */
  private final LinkedHashMap<String, Entry> byDigest = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  Sessions(Clock clock) {
    this.clock = clock;
  }

  synchronized Session open(Token token) {
    dropIdle();
    Session s = new Session(random(), token, random());
    byDigest.put(digest(s.id()), new Entry(s, clock.millis()));
    return s;
  }

  /** The live session of this id, now used again; empty for none, an ended or an idle one. */
  synchronized Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    String key = digest(id);
    Entry e = byDigest.get(key);
    long now = clock.millis();
    if (e == null || now - e.lastUsedMs() > IDLE.toMillis()) {
      byDigest.remove(key);
      return Optional.empty();
    }
    byDigest.put(key, new Entry(e.session(), now));
    return Optional.of(e.session());
  }

  synchronized void close(String id) {
    if (id != null) {
      byDigest.remove(digest(id));
    }
  }

  synchronized int size() {
    return byDigest.size();
  }

  /** The least recently used come first: stop at the first still in use. */
  private void dropIdle() {
    long now = clock.millis();
    for (Iterator<Entry> it = byDigest.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastUsedMs() <= IDLE.toMillis()) {
        return;
      }
      it.remove();
    }
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String digest(String id) {
    return Base64.getEncoder().encodeToString(Tokens.digest(id));
  }
}
