package dev.jobq;

/**
 * Runs around every attempt a worker makes, on the attempt's thread: logging, metrics, tracing,
 * or writing to the user's own database. It calls {@code next.proceed()} to run the rest of the
 * chain and the handler, and returns the result (it may replace it, or throw to fail the
 * attempt, as a handler would). Several are chained in order: the first added is the outermost.
 * Register with {@code Worker.Builder.middleware}, or list the class in {@code
 * META-INF/services/dev.jobq.JobMiddleware} on a worker's handler path.
 *
 * <pre>{@code
 * JobMiddleware timing = (ctx, next) -> {
 *   long start = System.nanoTime();
 *   try {
 *     return next.proceed();
 *   } finally {
 *     metrics.record(ctx.type(), System.nanoTime() - start);
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface JobMiddleware {
  Object around(JobContext ctx, Next next) throws Exception;

  /** The rest of the chain, then the handler. */
  @FunctionalInterface
  interface Next {
    Object proceed() throws Exception;
  }
}
