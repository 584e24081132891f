package dev.jobq;

/** What became of a job that {@code delete} or {@code runNow} was asked to change. */
public enum JobActionOutcome {
  /** The job was deleted, or made waiting. */
  DONE,
  NOT_FOUND,
  /**
   * Its status does not allow it; nothing changed. Delete: the job still runs (ACTIVE, or
   * cancelled while it ran and its handler not yet stopped). Run now: the job is not DELAYED.
   */
  WRONG_STATUS
}
