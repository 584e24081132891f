package dev.jobq.spi;

import dev.jobq.Escalation;

/** What became of a failed attempt. */
public enum FailOutcome {
  /** Moved to the delayed set; it runs again after the backoff. */
  RETRY_SCHEDULED,
  /** Moved to the failed list: no attempt left, or the failure was permanent. */
  DEAD_LETTERED,
  /** No attempt left, and handed over to a new job instead of the failed list ({@link Escalation}). */
  ESCALATED,
  /** Refused: the caller's lease token is no longer the job's (fencing). Nothing changed. */
  STALE
}
