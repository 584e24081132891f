package dev.jobq.spi;

/** The answer of a lease renewal for one job. */
public enum LeaseState {
  /** Still the caller's; renewed. */
  HELD,
  /** Taken away (expired and reaped, or claimed by another worker): stop caring about it. */
  LOST,
  /** Cancelled while running: interrupt the handler. */
  CANCELLED
}
