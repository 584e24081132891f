package dev.jobq;

/**
 * Orders for a running worker, left in Redis by an operator ({@code jobq workers quiet|resume|
 * stop|concurrency}) and picked up by the worker at its next heartbeat, on whatever host it
 * runs. A null field gives no order about it.
 *
 * @param state QUIET: claim nothing more, finish what runs; RUN: claim again; STOP: shut down
 *     gracefully, as on SIGTERM
 * @param concurrency how many jobs the worker runs at once from now on
 */
public record WorkerControl(State state, Integer concurrency) {
  /** No orders. */
  public static final WorkerControl NONE = new WorkerControl(null, null);

  public enum State { RUN, QUIET, STOP }

  public WorkerControl {
    if (concurrency != null && (concurrency < 1 || concurrency > 10_000)) {
      throw new InvalidJobException("concurrency " + concurrency + " is out of range 1..10000");
    }
  }
}
