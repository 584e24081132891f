package dev.jobq.worker;

import dev.jobq.RetryPolicy;
import java.time.Duration;
import java.util.List;

/** The settings of one worker, validated by {@link Worker.Builder#build()} and sealed. */
record WorkerConfig(
    QueueOrder queueOrder,
    int concurrency,
    String name,
    Duration lease,
    Duration heartbeatInterval,
    Duration defaultTimeout,
    Duration shutdownGrace,
    RetryPolicy retryPolicy,
    List<Class<? extends Throwable>> permanentTypes,
    HandlerRegistry handlers,
    WorkerListener listener) {

  /** How long the heartbeat lives without renewal: three missed beats mean the worker is gone. */
  Duration heartbeatTtl() {
    return heartbeatInterval.multipliedBy(3);
  }

  @Override
  public String toString() {
    return "queues " + queueOrder + ", concurrency " + concurrency + ", lease " + lease.toMillis()
        + " ms, heartbeat " + heartbeatInterval.toMillis() + " ms, default timeout "
        + defaultTimeout.toMillis() + " ms, shutdown grace " + shutdownGrace.toMillis()
        + " ms, retry " + retryPolicy.maxAttempts() + " attempts " + retryPolicy.backoff()
        + ", permanent failures " + permanentTypes.stream().map(Class::getSimpleName).toList()
        + ", handlers " + handlers.types() + ", middleware " + handlers.middlewareNames();
  }
}
