package dev.jobq;

/**
 * Sees every job a {@link JobClient} enqueues, before and after it is written: to validate
 * (throw {@link InvalidJobException} to refuse; the whole batch is then refused and nothing is
 * written), enrich (return a changed copy, {@code request.toBuilder()…build()}, say with a
 * trace id header) or count. Several run in the order they were added; each gets what the
 * previous one returned. Register with {@link JobClient#withMiddleware}, or list the class in
 * {@code META-INF/services/dev.jobq.EnqueueMiddleware} for {@link
 * JobClient#withDiscoveredMiddleware}.
 */
public interface EnqueueMiddleware {
  /** The request to enqueue in place of {@code request}: itself, a changed copy, or a throw. */
  default JobRequest beforeEnqueue(JobRequest request) {
    return request;
  }

  /** After the batch was written: what enqueue answered for this request. What it throws is logged. */
  default void afterEnqueue(JobRequest request, EnqueueResult result) {}
}
