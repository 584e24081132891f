package dev.jobq.testing;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.QueueFullException;
import dev.jobq.spi.EnqueueAnswers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Enqueue as RedisBroker does it: the requests split by queue, in the order their queues first
 * appear, each queue's share one atomic step ({@link EnqueueBatch}); refusals thrown with the
 * Redis broker's messages, answers with its wait estimate.
 */
final class Enqueues {
  private final Store store;

  Enqueues(Store store) {
    this.store = store;
  }

  List<EnqueueResult> enqueue(List<JobRequest> requests) {
    return EnqueueAnswers.perQueue(requests,
        (queue, batch) -> into(queue, batch, null, store.now()));
  }

  /**
   * Enqueues the job of a schedule's tick, and moves the schedule on, if it is still due at
   * the tick read (or, triggered by hand, if it still exists), recording it as the schedule's
   * last firing; empty when it was fired already or is gone.
   */
  Optional<EnqueueResult> enqueueTick(JobRequest job, EnqueueBatch.Tick tick, long now) {
    List<EnqueueResult> r = into(job.queue(), List.of(job), tick, now);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  private List<EnqueueResult> into(String queue, List<JobRequest> batch, EnqueueBatch.Tick tick,
      long now) {
    store.remember(queue);
    EnqueueBatch.Outcome out = new EnqueueBatch(store.queue(queue), now, batch).run(tick);
    switch (out.refusal()) {
      case EnqueueBatch.TICK_TAKEN:
        return List.of();
      case EnqueueBatch.UNKNOWN_PARENT:
        throw new InvalidJobException("job " + out.details().get(0) + " depends on "
            + out.details().get(1) + ", which is neither in queue '" + queue + "' nor earlier in"
            + " the batch (parents and children share a queue; JobClient.enqueueGraph orders a"
            + " batch parents first); nothing was enqueued");
      case EnqueueBatch.QUEUE_FULL:
        throw new QueueFullException("queue '" + queue + "' is full: " + out.details().get(0)
            + " jobs wait (waiting and delayed) and its maximum depth is "
            + out.details().get(1) + "; the " + batch.size() + " job(s) were not enqueued."
            + " Retry later, add workers, or raise the limit (JobClient.setMaxDepth)");
      default:
        break;
    }
    List<EnqueueResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      EnqueueBatch.Row row = out.rows().get(i);
      long delayMs = EnqueueBatch.runAtMs(batch.get(i), now) - now;
      Duration wait = EnqueueAnswers.estimatedWait(row.status(), row.position(), out.recent(), delayMs);
      results.add(new EnqueueResult(row.answered(), queue, row.created(), row.status(),
          row.position(), wait));
    }
    return results;
  }
}
