package dev.jobq.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's listener, called where outcomes are decided: what it throws must never break a
 * report or a claim, so it is caught here, logged once with its stack, then only at debug.
 */
final class GuardedListener implements WorkerListener {
  private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

  private final WorkerListener listener;
  private final AtomicBoolean warned = new AtomicBoolean();

  private GuardedListener(WorkerListener listener) {
    this.listener = listener;
  }

  /** {@code listener} guarded; {@link WorkerListener#NONE} as it is, as it cannot throw. */
  static WorkerListener of(WorkerListener listener) {
    return listener == NONE || listener instanceof GuardedListener ? listener
        : new GuardedListener(listener);
  }

  @Override
  public void workerStarted(Worker worker) {
    try {
      listener.workerStarted(worker);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void workerStopped(Worker worker) {
    try {
      listener.workerStopped(worker);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void jobStarted(String queue, String type, long waitMillis) {
    try {
      listener.jobStarted(queue, type, waitMillis);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
    try {
      listener.jobEnded(queue, type, outcome, runNanos);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void jobTimedOut(String queue, String type) {
    try {
      listener.jobTimedOut(queue, type);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void claimed(String queue, int jobs) {
    try {
      listener.claimed(queue, jobs);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void redisCalled(RedisCall call, long nanos) {
    try {
      listener.redisCalled(call, nanos);
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void redisUnavailable() {
    try {
      listener.redisUnavailable();
    } catch (Throwable t) {
      threw(t);
    }
  }

  @Override
  public void redisAvailable(long downNanos) {
    try {
      listener.redisAvailable(downNanos);
    } catch (Throwable t) {
      threw(t);
    }
  }

  private void threw(Throwable t) {
    if (warned.compareAndSet(false, true)) {
      log.warn("worker listener {} threw; the worker ignores it (later ones are logged at"
          + " debug)", listener.getClass().getName(), t);
    } else {
      log.debug("worker listener {} threw", listener.getClass().getName(), t);
    }
  }
}
