package dev.jobq.redis;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the model test expects of one queue: few, robust expectations, those the protocol
 * guarantees, not a second implementation of the scripts. It holds what only the test can know
 * (which claims happened, which outcomes Redis accepted, the uniqueness windows it opened, the
 * counters those imply); the rest is read from Redis after every step ({@link QueueView}).
 *
 * <p>A Redis restart from an older snapshot rolls the model back to its {@link #copy} taken at
 * the SAVE. What the fake workers hold is not here: workers do not forget.
 */
final class ProtocolModel {
  /** One claim the test saw: its job, lease token and worker; seq tells claims apart. */
  record Attempt(String id, long token, String worker, int seq) {
    @Override
    public String toString() {
      return id + "#" + token + "@" + worker;
    }
  }

  /** A uniqueness key's window, opened by the job that took it. */
  record Window(String holder, long until) {}

  /** The attempt Redis runs for each active job, and its lease deadline. */
  final Map<String, Attempt> live = new LinkedHashMap<>();
  final Map<String, Long> deadline = new LinkedHashMap<>();
  /** Attempts whose outcome (complete, fail, release) Redis accepted in this history. */
  final Set<Attempt> accepted = new HashSet<>();
  final Map<String, Window> windows = new LinkedHashMap<>();
  /**
   * The step that created the job each id names now: a parent whose id was used again after
   * its child was created is another job than the one the child waited for.
   */
  final Map<String, Integer> born = new LinkedHashMap<>();
  /** Ids whose job (this one, not an earlier one of the id) has ended once: it may be retried. */
  final Set<String> endedOnce = new HashSet<>();
  /** What the stats counters must say: the answers Redis gave in this history. */
  long created;
  long completed;
  long released;
  long failCalls;

  ProtocolModel copy() {
    ProtocolModel c = new ProtocolModel();
    c.live.putAll(live);
    c.deadline.putAll(deadline);
    c.accepted.addAll(accepted);
    c.windows.putAll(windows);
    c.born.putAll(born);
    c.endedOnce.addAll(endedOnce);
    c.created = created;
    c.completed = completed;
    c.released = released;
    c.failCalls = failCalls;
    return c;
  }

  void created(String id, int step) {
    created++;
    born.put(id, step);
    endedOnce.remove(id);
  }

  /** An outcome with this attempt's token must be accepted exactly when it is the live one. */
  boolean mustAccept(Attempt a) {
    return a.equals(live.get(a.id()));
  }

  void claimed(Attempt a, long leaseUntil) {
    live.put(a.id(), a);
    deadline.put(a.id(), leaseUntil);
  }

  /** The attempt ended: by an accepted outcome, a cancel or the reaper. */
  void ended(String id) {
    live.remove(id);
    deadline.remove(id);
  }

  /** Why an accepted outcome breaks the protocol, or null when it may be accepted. */
  String acceptedWrongly(Attempt a) {
    if (accepted.contains(a)) {
      return "an outcome of " + a + " was accepted twice";
    }
    if (!mustAccept(a)) {
      return "the stale token of " + a + " was accepted (live: " + live.get(a.id()) + ")";
    }
    return null;
  }

  /** The job holding a uniqueness key now, or null when its window has ended. */
  String holder(String key, long now) {
    Window w = windows.get(key);
    return w != null && w.until() > now ? w.holder() : null;
  }
}
