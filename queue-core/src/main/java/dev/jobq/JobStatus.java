package dev.jobq;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a job is in its life. The allowed moves are one table, {@link #canMoveTo}; the Lua
 * scripts of the Redis broker implement exactly these arrows and refuse every other.
 */
public enum JobStatus {
  /** Ready to run, in its priority's wait set. */
  WAITING,
  /** Scheduled for later, or backing off before a retry. */
  DELAYED,
  /** Claimed by a worker that holds a lease on it. */
  ACTIVE,
  /** Finished successfully; kept for the retention period. */
  COMPLETED,
  /** Dead-lettered: its attempts are exhausted or it failed permanently. */
  FAILED,
  /** Cancelled before it could finish. */
  CANCELLED,
  /** Waits for the jobs it depends on. */
  BLOCKED;

  private static final Map<JobStatus, Set<JobStatus>> MOVES =
      Map.of(
          WAITING, EnumSet.of(ACTIVE, CANCELLED),
          DELAYED, EnumSet.of(WAITING, CANCELLED),
          ACTIVE, EnumSet.of(COMPLETED, DELAYED, FAILED, WAITING, CANCELLED),
          // ready with a run-at time still ahead: delayed until then
          BLOCKED, EnumSet.of(WAITING, DELAYED, CANCELLED),
          FAILED, EnumSet.of(WAITING),
          COMPLETED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class));

  /** The states a new job can start in. */
  public static final Set<JobStatus> INITIAL =
      Collections.unmodifiableSet(EnumSet.of(WAITING, DELAYED, BLOCKED));

  /**
   * The states a job in this one may move to, the table's row: the Redis broker generates the
   * table its Lua scripts check every status change against from these.
   */
  public Set<JobStatus> next() {
    return Collections.unmodifiableSet(MOVES.get(this));
  }

  public boolean canMoveTo(JobStatus next) {
    return MOVES.get(this).contains(next);
  }

  /** Throws with "cannot change state from X to Y" unless the move is in the table. */
  public void checkMoveTo(JobStatus next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("cannot change state from " + this + " to " + next);
    }
  }

  /** True for the states a job never leaves by itself: COMPLETED, FAILED and CANCELLED. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static JobStatus parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          "unknown status '" + text + "': use one of waiting, delayed, active, completed, failed,"
              + " cancelled, blocked");
    }
  }
}
