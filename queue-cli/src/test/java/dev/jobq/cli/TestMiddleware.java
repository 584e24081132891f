package dev.jobq.cli;

import dev.jobq.EnqueueMiddleware;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;

/** Enqueue middleware that only a jar on {@code --handler-path} announces ({@link ServiceJar}). */
public final class TestMiddleware implements EnqueueMiddleware {
  @Override
  public JobRequest beforeEnqueue(JobRequest request) {
    if (request.type().startsWith("forbidden.")) {
      throw new InvalidJobException("type " + request.type() + " may not be enqueued here");
    }
    return request.toBuilder().header("tenant", "acme").build();
  }
}
