package dev.jobq.worker;

import dev.jobq.Job;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.WorkerBroker.Completion;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes Redis accepted lately, sent again when Redis restarts: one that restarts from a
 * snapshot older than an accepted outcome brings the job back ACTIVE under this worker's lease
 * token, a lease nobody renews, and the reaper would spend that attempt. Fencing makes the
 * resend safe: it is accepted only while the job is ACTIVE under that very token, that is
 * exactly when Redis lost the outcome; every other resend is refused as stale and dropped.
 *
 * <p>Bounded by age (the window), by count and by the size of the results kept.
 */
final class AcceptedOutcomes {
  static final int MAX_KEPT = 10_000;
  static final long MAX_RESULT_CHARS = 16L << 20;
  /** At least this long: a snapshot is usually taken every few minutes. */
  static final Duration MIN_WINDOW = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(AcceptedOutcomes.class);

  private record Accepted(String queue, String id, long token, Outcome.Kind kind,
      String resultJson, Failure failure, Duration retryDelay, long atNanos) {

    long chars() {
      return resultJson == null ? 0 : resultJson.length();
    }
  }

  private final WorkerBroker broker;
  private final long windowNanos;
  private final ArrayDeque<Accepted> kept = new ArrayDeque<>(); // guarded by this
  private long keptChars; // guarded by this
  private String runId; // the maintenance thread's only

  /** Keeps outcomes for {@code window}, or {@link #MIN_WINDOW} if longer. */
  AcceptedOutcomes(WorkerBroker broker, Duration window) {
    this.broker = broker;
    this.windowNanos = Math.max(window.toNanos(), MIN_WINDOW.toNanos());
  }

  /** Redis accepted this outcome of this attempt. */
  void add(Job job, Outcome o) {
    Accepted a = new Accepted(job.queue(), job.id(), job.token(), o.kind(), o.resultJson(),
        o.failure(), o.retryDelay(), System.nanoTime());
    synchronized (this) {
      kept.addLast(a);
      keptChars += a.chars();
      trim(a.atNanos());
    }
  }

  private void trim(long now) {
    while (!kept.isEmpty() && (kept.size() > MAX_KEPT || keptChars > MAX_RESULT_CHARS
        || now - kept.peekFirst().atNanos() > windowNanos)) {
      keptChars -= kept.pollFirst().chars();
    }
  }

  synchronized int size() {
    trim(System.nanoTime());
    return kept.size();
  }

  /**
   * Reads Redis's run id (one INFO call) and, when it changed since the last look, sends the
   * kept outcomes again. The new id is remembered only once they are all sent: a resend cut
   * short by Redis going away again is made whole at the next look.
   */
  void checkRestart() {
    String now = broker.serverRunId();
    if (now == null) {
      return;
    }
    if (runId != null && !runId.equals(now)) {
      log.warn("Redis restarted (run id {} -> {}); sending the outcomes it accepted in the last"
          + " {} s again, in case it restarted from an older snapshot", runId, now,
          windowNanos / 1_000_000_000);
      resend();
    }
    runId = now;
  }

  private void resend() {
    List<Accepted> all;
    synchronized (this) {
      trim(System.nanoTime());
      all = new ArrayList<>(kept);
    }
    Map<String, List<Accepted>> completions = new LinkedHashMap<>();
    int restored = 0;
    for (Accepted a : all) {
      switch (a.kind()) {
        case COMPLETE -> completions.computeIfAbsent(a.queue(), q -> new ArrayList<>()).add(a);
        case FAIL -> restored += broker.fail(a.queue(), a.id(), a.token(), a.failure(),
            a.retryDelay()) == FailOutcome.STALE ? 0 : logged(a);
        case RELEASE -> restored += broker.release(a.queue(), a.id(), a.token()) ? logged(a) : 0;
      }
    }
    for (Map.Entry<String, List<Accepted>> e : completions.entrySet()) {
      restored += complete(e.getKey(), e.getValue());
    }
    log.info("{} of {} outcomes sent again had been lost by Redis and are recorded again; the"
        + " rest stood", restored, all.size());
  }

  private int complete(String queue, List<Accepted> list) {
    int restored = 0;
    for (int from = 0; from < list.size(); from += Completions.MAX_BATCH) {
      List<Accepted> batch = list.subList(from, Math.min(list.size(), from + Completions.MAX_BATCH));
      List<Boolean> ok = broker.completeAll(queue, batch.stream()
          .map(a -> new Completion(a.id(), a.token(), a.resultJson())).toList());
      for (int i = 0; i < batch.size(); i++) {
        restored += ok.get(i) ? logged(batch.get(i)) : 0;
      }
    }
    return restored;
  }

  private static int logged(Accepted a) {
    log.info("job {}: its {} (lease token {}), lost when Redis restarted, is recorded again",
        a.id(), a.kind().name().toLowerCase(java.util.Locale.ROOT), a.token());
    return 1;
  }
}
