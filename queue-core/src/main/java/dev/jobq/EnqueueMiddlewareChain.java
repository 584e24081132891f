package dev.jobq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link JobClient}'s enqueue middleware, run in order around each batch it enqueues. */
final class EnqueueMiddlewareChain {
  // logged under JobClient, where users look for what their client does
  private static final Logger log = LoggerFactory.getLogger(JobClient.class);

  private final List<EnqueueMiddleware> middleware;

  EnqueueMiddlewareChain(List<EnqueueMiddleware> middleware) {
    this.middleware = List.copyOf(middleware);
  }

  /** This chain with {@code more} after what it has. */
  EnqueueMiddlewareChain with(EnqueueMiddleware... more) {
    List<EnqueueMiddleware> all = new ArrayList<>(middleware);
    for (EnqueueMiddleware m : more) {
      all.add(Objects.requireNonNull(m, "middleware"));
    }
    return new EnqueueMiddlewareChain(all);
  }

  /** Every request through every middleware, before anything is checked or written. */
  List<JobRequest> beforeEnqueue(List<JobRequest> requests) {
    if (middleware.isEmpty()) {
      return requests;
    }
    List<JobRequest> out = new ArrayList<>(requests.size());
    for (JobRequest r : requests) {
      for (EnqueueMiddleware m : middleware) {
        r = Objects.requireNonNull(m.beforeEnqueue(r),
            () -> m.getClass().getName() + ".beforeEnqueue returned null");
      }
      out.add(r);
    }
    return out;
  }

  /** Tells every middleware of every written job; what one throws is logged, never rethrown. */
  void afterEnqueue(List<JobRequest> requests, List<EnqueueResult> results) {
    for (int i = 0; i < requests.size() && !middleware.isEmpty(); i++) {
      for (EnqueueMiddleware m : middleware) {
        try {
          m.afterEnqueue(requests.get(i), results.get(i));
        } catch (RuntimeException e) {
          // the jobs are written: a throw here must not read as a failed enqueue, retried twice
          log.warn("{}.afterEnqueue threw on job {}; the job is enqueued", m.getClass().getName(),
              results.get(i).jobId(), e);
        }
      }
    }
  }
}
