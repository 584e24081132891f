package dev.jobq.worker;

import dev.jobq.Job;
import dev.jobq.spi.WorkerBroker.Completion;
import dev.jobq.spi.WorkerBroker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group commit for completions: those that arrive while a call to Redis is under way go together
 * in the next one, one script call for many jobs, instead of a round trip each. No timer and no
 * waiting for company: a completion that finds no call under way goes at once, alone.
 *
 * <p>Each caller gets its own answer, or the exception of the call its completion went in.
 */
final class Completions {
  /** More per call would hold Redis, single-threaded, for too long at once. */
  static final int MAX_BATCH = 100;

  private static final class Waiter {
    final Completion completion;
    boolean done;
    boolean accepted;
    RuntimeException error;

    Waiter(Completion completion) {
      this.completion = completion;
    }
  }

  private final WorkerBroker broker;
  private final WorkerListener listener;
  private final Object lock = new Object();
  private final Map<String, ArrayDeque<Waiter>> queued = new HashMap<>(); // guarded by lock
  private final Set<String> calling = new HashSet<>(); // queues with a call under way; by lock

  Completions(WorkerBroker broker) {
    this(broker, WorkerListener.NONE);
  }

  Completions(WorkerBroker broker, WorkerListener listener) {
    this.broker = broker;
    this.listener = listener;
  }

  /** {@link WorkerBroker#complete}, in company when others complete at the same moment. */
  boolean complete(Job job, String resultJson) {
    String queue = job.queue();
    Waiter me = new Waiter(new Completion(job.id(), job.token(), resultJson));
    synchronized (lock) {
      queued.computeIfAbsent(queue, q -> new ArrayDeque<>()).add(me);
    }
    while (true) {
      List<Waiter> batch = takeTurn(queue, me);
      if (batch == null) {
        if (me.error != null) {
          throw me.error;
        }
        return me.accepted;
      }
      call(queue, batch);
    }
  }

  /**
   * Waits until this completion was answered (null) or no call of its queue is under way; then
   * the caller makes the next call, with what waits (this completion among them, unless more
   * than a batch waits before it).
   */
  private List<Waiter> takeTurn(String queue, Waiter me) {
    boolean interrupted = false;
    try {
      synchronized (lock) {
        while (!me.done && calling.contains(queue)) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            interrupted = true; // the answer is on its way; an outcome must not be abandoned
          }
        }
        if (me.done) {
          return null;
        }
        calling.add(queue);
        ArrayDeque<Waiter> waiting = queued.get(queue);
        List<Waiter> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
          batch.add(waiting.poll());
        }
        return batch;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void call(String queue, List<Waiter> batch) {
    List<Boolean> accepted = null;
    RuntimeException error = null;
    long start = System.nanoTime();
    try {
      accepted = broker.completeAll(queue, batch.stream().map(w -> w.completion).toList());
      listener.redisCalled(WorkerListener.RedisCall.COMPLETE, System.nanoTime() - start);
    } catch (RuntimeException e) {
      error = e;
    } catch (Error e) {
      // never leave the queue marked as calling: every later completion would wait forever
      error = new IllegalStateException("completing " + batch.size() + " jobs failed: " + e, e);
    }
    synchronized (lock) {
      for (int i = 0; i < batch.size(); i++) {
        Waiter w = batch.get(i);
        w.done = true;
        w.error = error;
        w.accepted = accepted != null && accepted.get(i);
      }
      calling.remove(queue);
      lock.notifyAll();
    }
  }
}
