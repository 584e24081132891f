package dev.jobq.testing;

import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Worker heartbeats as the Redis broker keeps them: per worker its last heartbeat, with the
 * orders operators left in it, and an index of ids by last heartbeat. A heartbeat expires once
 * more than {@code ttl} has passed since it was written, by the broker's clock (which a test
 * moves) or by real time (which Redis counts its TTLs in), whichever passes it first.
 */
final class WorkerBook {
  private static final class Beat {
    WorkerInfo info;
    long ttlMs;
    long expiresAt;
    long writtenNanos;
    WorkerControl.State orderState;
    Integer orderConcurrency;
  }

  private final Store store;
  private final Map<String, Beat> beats = new HashMap<>();
  private final ScoredSet index = new ScoredSet();

  WorkerBook(Store store) {
    this.store = store;
  }

  /** The worker's heartbeat while it lives; an expired one is gone. */
  private Beat live(String id) {
    Beat b = beats.get(id);
    if (b != null && (store.now() > b.expiresAt
        || System.nanoTime() - b.writtenNanos > Store.nanos(b.ttlMs))) {
      beats.remove(id);
      return null;
    }
    return b;
  }

  /** Writes the heartbeat and answers the orders left in it. */
  WorkerControl register(WorkerInfo info, Duration ttl) {
    Beat b = live(info.id());
    WorkerInfo stored = normalized(info);
    if (b == null) {
      b = new Beat();
      beats.put(info.id(), b);
    }
    Instant startedBefore = b.info == null ? null : b.info.startedAt();
    write(b, stored, ttl);
    if (startedBefore != null && !startedBefore.equals(stored.startedAt())) {
      // another process under the same name (restarted within the TTL): its orders are not ours
      b.orderState = null;
      b.orderConcurrency = null;
      return WorkerControl.NONE;
    }
    return new WorkerControl(b.orderState, b.orderConcurrency);
  }

  /** The first heartbeat, unless a live worker holds the id and is not overdue. */
  Optional<WorkerInfo> registerNew(WorkerInfo info, Duration ttl) {
    Beat held = live(info.id());
    long now = info.lastHeartbeat().toEpochMilli();
    if (held != null && !overdue(held, now, ttl)) {
      return Optional.of(held.info);
    }
    Beat b = new Beat(); // a dead holder's orders are not ours
    beats.put(info.id(), b);
    write(b, normalized(info), ttl);
    return Optional.empty();
  }

  private void write(Beat b, WorkerInfo info, Duration ttl) {
    b.info = info;
    b.ttlMs = ttl.toMillis();
    b.expiresAt = store.now() + ttl.toMillis();
    b.writtenNanos = System.nanoTime();
    index.add(info.id(), info.lastHeartbeat().toEpochMilli());
  }

  /** Two heartbeat intervals (a third of the TTL each) have passed without one. */
  private static boolean overdue(Beat held, long now, Duration ourTtl) {
    long ttl = held.ttlMs > 0 ? held.ttlMs : ourTtl.toMillis();
    return now - held.info.lastHeartbeat().toEpochMilli() > ttl * 2 / 3;
  }

  /** Drops from the index the workers silent since then whose heartbeat expired. */
  int prune(Duration silentFor) {
    long silentSince = store.now() - silentFor.toMillis();
    int gone = 0;
    for (String id : index.upTo(silentSince, -1)) {
      if (live(id) == null && index.remove(id)) {
        gone++;
      }
    }
    return gone;
  }

  /** Merges the orders into a live worker's heartbeat; false when none lives under the id. */
  boolean control(String workerId, WorkerControl orders) {
    Beat b = live(workerId);
    if (b == null) {
      return false;
    }
    if (orders.state() != null) {
      b.orderState = orders.state();
    }
    if (orders.concurrency() != null) {
      b.orderConcurrency = orders.concurrency();
    }
    return true;
  }

  void remove(String workerId) {
    beats.remove(workerId);
    index.remove(workerId);
  }

  /** The live workers by last heartbeat; the index forgets the others as it meets them. */
  List<WorkerInfo> alive() {
    List<WorkerInfo> out = new ArrayList<>();
    for (String id : index.all()) {
      Beat b = live(id);
      if (b == null) {
        index.remove(id);
      } else {
        out.add(b.info);
      }
    }
    return out;
  }

  /** As the Redis broker reads a heartbeat back: times in ms. */
  private static WorkerInfo normalized(WorkerInfo w) {
    return new WorkerInfo(w.id(), w.host(), w.pid(), List.copyOf(w.queues()), w.concurrency(),
        w.busy(), w.processed(), w.failed(), Instant.ofEpochMilli(w.startedAt().toEpochMilli()),
        Instant.ofEpochMilli(w.lastHeartbeat().toEpochMilli()), w.state());
  }
}
