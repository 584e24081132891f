package dev.jobq.spi;

import dev.jobq.Schedule;
import java.time.Instant;

/**
 * The tick a due schedule fires now, and the one after it. Several ticks missed (no worker ran)
 * fire once, for the latest of them: every broker fires schedules so.
 */
public record DueTick(Instant at, Instant next) {
  /** Bounds the catch-up walk over a schedule whose ticks are very close together. */
  private static final int MAX_MISSED = 100_000;

  /**
   * The latest tick of {@code schedule} at or before {@code now},
   * from the one due at {@code dueAt}.
   */
  public static DueTick of(Schedule schedule, long dueAt, long now) {
    Instant tick = Instant.ofEpochMilli(dueAt);
    Instant next = schedule.nextAfter(tick);
    for (int i = 0; !next.isAfter(Instant.ofEpochMilli(now)) && i < MAX_MISSED; i++) {
      tick = next;
      next = schedule.nextAfter(tick);
    }
    return new DueTick(tick, next);
  }
}
