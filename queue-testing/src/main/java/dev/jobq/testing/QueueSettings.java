package dev.jobq.testing;

import dev.jobq.Limit;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** A queue's settings ({@code P:{q}:meta} and its limits): pause, depth, events kept, limits. */
final class QueueSettings {
  private final Store store;

  QueueSettings(Store store) {
    this.store = store;
  }

  void pause(String queue) {
    store.remember(queue);
    store.queue(queue).paused = true;
  }

  /** Resumes, waking an idle worker as the Redis broker's resume pushes the marker. */
  void resume(String queue) {
    QueueState q = store.queue(queue);
    q.paused = false;
    q.wake();
  }

  void setMaxDepth(String queue, long maxDepth) {
    store.remember(queue);
    store.queue(queue).maxDepth = maxDepth;
  }

  void setEventsKept(String queue, long kept) {
    if (kept < 0) {
      throw new IllegalArgumentException("events kept is negative: " + kept + "; use 0 for none");
    }
    store.remember(queue);
    store.queue(queue).events.kept = kept;
  }

  void setLimit(String queue, Limit limit) {
    store.remember(queue);
    Limits.set(store.queue(queue), limit);
  }

  boolean removeLimit(String queue, String type) {
    return Limits.remove(store.queue(queue), type);
  }

  List<Limit> limits(String queue) {
    return Limits.list(store.queue(queue));
  }

  /** A run id as Redis's: 40 hex digits, random. */
  static String newRunId() {
    byte[] id = new byte[20];
    new SecureRandom().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }
}
