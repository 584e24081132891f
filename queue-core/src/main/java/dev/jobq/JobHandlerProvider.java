package dev.jobq;

import java.util.Map;

/**
 * Contributes handlers from a jar on the worker's classpath. List the implementing class in
 * {@code META-INF/services/dev.jobq.JobHandlerProvider}; the worker finds it with {@link
 * java.util.ServiceLoader}.
 */
public interface JobHandlerProvider {
  /** Handlers by job type. */
  Map<String, JobHandler> handlers();
}
