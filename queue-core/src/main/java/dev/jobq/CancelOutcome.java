package dev.jobq;

/** What became of one id in a cancel call. */
public enum CancelOutcome {
  CANCELLED,
  /** Already completed, failed or cancelled: nothing changed. */
  ALREADY_FINISHED,
  NOT_FOUND
}
