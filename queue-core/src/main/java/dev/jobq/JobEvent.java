package dev.jobq;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One step in a job's life, read from its queue's event stream. Events of one queue come in the
 * order they happened; {@code position} orders them and is where a reader resumes.
 *
 * @param position the event's place in its queue's stream ({@code 1700000000000-0})
 * @param at when it happened, on the broker's clock
 * @param details what the event carries besides: {@code attempt} and {@code worker} (started),
 *     {@code error} (failed, stalled, a cancelled child), {@code run_at} (retrying, in epoch
 *     ms), {@code progress} (progress JSON), {@code status} (enqueued, ready, deleted)
 */
public record JobEvent(
    String position, String queue, String jobId, Type type, Instant at, Map<String, String> details) {

  public JobEvent {
    details = Map.copyOf(details);
  }

  /** What happened. */
  public enum Type {
    /** Accepted into the queue: waiting, delayed, blocked on parents, or cancelled at once. */
    ENQUEUED,
    /** Its last parent completed: no longer blocked. */
    READY,
    /** A worker claimed it and an attempt began. */
    STARTED,
    /** The handler reported progress. */
    PROGRESS,
    /** The handler failed this attempt; RETRYING or DEAD_LETTERED follows. */
    FAILED,
    /** The worker's lease ran out (it died or stalled); RETRYING or DEAD_LETTERED follows. */
    STALLED,
    /** It waits in the delayed set for its next attempt. */
    RETRYING,
    /** A worker shutting down gave it back, its attempt unspent. */
    RELEASED,
    /** Moved from the failed list back to waiting, with fresh attempts. */
    REQUEUED,
    /** Finished successfully. */
    COMPLETED,
    /** No attempt left (or failed permanently): in the failed list. */
    DEAD_LETTERED,
    /** Cancelled before it could finish. */
    CANCELLED,
    /** No attempt left: handed over to a new job (detail {@code to}: queue/id). */
    ESCALATED,
    /** An operator ran it now: from the delayed set to waiting. */
    PROMOTED,
    /** An operator deleted it (detail {@code status}: the status it had). */
    DELETED,
    /**
     * An entry this version does not know (written by a newer one, or by hand): its label is in
     * the detail {@code event}. Readers skip it; it is there so that they move past it.
     */
    UNKNOWN;

    /** The name in the stream and on the command line: {@code dead-lettered}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of a label, or empty for one this version does not know. */
    public static Optional<Type> ofLabel(String label) {
      try {
        return Optional.of(valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    /** True for the events after which the job does nothing more unless an operator acts. */
    public boolean endsJob() {
      return this == COMPLETED || this == DEAD_LETTERED || this == CANCELLED || this == ESCALATED;
    }
  }
}
