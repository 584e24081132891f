package dev.jobq.testing;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a job whose attempts are exhausted over to the job that takes over from it
 * (PROTOCOL.md, Escalation): that job is enqueued first, then the original ends naming it. Both
 * happen under the broker's one lock, so the original cannot move on in between.
 */
final class Escalations {
  private static final Logger log = LoggerFactory.getLogger(Escalations.class);

  private final Enqueues enqueues;

  Escalations(Enqueues enqueues) {
    this.enqueues = enqueues;
  }

  /**
   * Enqueues the job that takes over; null when it cannot be enqueued (the original is then
   * dead-lettered as it would be without an escalation).
   */
  EnqueueResult escalate(QueueState q, String id) {
    try {
      MemJob job = q.job(id);
      if (job == null) {
        throw new IllegalStateException("job " + id + " is gone");
      }
      JobRequest next = job.escalate.requestFor(job.toJob(q.name, id));
      return enqueues.enqueue(List.of(next)).get(0);
    } catch (BrokerUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("queue {}: job {} cannot be escalated ({}); it goes to the failed list", q.name,
          id, e.getMessage());
      return null;
    }
  }

  /** How fail and reap name the job that took over: {@code queue/id}, or {@code -} for none. */
  static String takeoverOf(EnqueueResult r) {
    return r == null ? "-" : r.queue() + "/" + r.jobId();
  }
}
