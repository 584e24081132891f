package dev.jobq;

/**
 * Runs jobs of one type. {@link #handle} returns the job's result (encoded as JSON; null for
 * none) or throws to fail the attempt. Delivery is at least once: use {@link JobContext#id()} as
 * an idempotency key for side effects.
 *
 * <p>The callbacks run after the outcome is recorded; an exception they throw is logged and never
 * changes the outcome.
 */
@FunctionalInterface
public interface JobHandler {
  Object handle(JobContext ctx) throws Exception;

  /** After the job completed. */
  default void onSuccess(JobContext ctx, Object result) {}

  /** After an attempt failed; {@code willRetry} is false when the job was dead-lettered. */
  default void onFailure(JobContext ctx, Throwable error, boolean willRetry) {}

  /** After the job went to the failed list, its attempts exhausted or its failure permanent. */
  default void onDeadLetter(JobContext ctx, Throwable error) {}
}
