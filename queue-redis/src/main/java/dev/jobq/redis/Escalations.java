package dev.jobq.redis;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.EnqueueResult;
import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The takeover of a job whose attempts are exhausted by the job its {@link Escalation} names,
 * for a failing worker ({@link Attempts#fail}) and for the reaper alike. The takeover is
 * enqueued first, then the original is ended naming it, under the check that it is still the
 * attempt that failed.
 */
final class Escalations {
  private static final Logger log = LoggerFactory.getLogger(Escalations.class);

  private final JobQueries queries;
  private final Enqueuer enqueuer;
  private final Operations operations;

  Escalations(JobQueries queries, Enqueuer enqueuer, Operations operations) {
    this.queries = queries;
    this.enqueuer = enqueuer;
    this.operations = operations;
  }

  /**
   * Enqueues the job that takes over from one whose attempts are exhausted, before the original
   * is ended: done twice (the worker died between the two steps, and the reaper does it again),
   * the uniqueness key answers the first. Null when it cannot be enqueued: the original is then
   * dead-lettered as it would be without an escalation.
   */
  EnqueueResult escalate(String queue, String id) {
    try {
      // one read of the job: the escalation is a field the Job record leaves out
      Map<String, String> h = queries.fields(queue, id).orElseThrow(
          () -> new IllegalStateException("job " + id + " is gone"));
      JobRequest next = Json.decode(h.get("escalate"), Escalation.class)
          .requestFor(StoredJob.fromMap(queue, id, h));
      return enqueuer.enqueue(List.of(next)).get(0);
    } catch (BrokerUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.error("queue {}: job {} cannot be escalated ({}); it goes to the failed list", queue, id,
          e.getMessage());
      return null;
    }
  }

  /** How the scripts name a takeover: "queue/id", or "-" for none (dead-letter the original). */
  static String takeoverOf(EnqueueResult r) {
    return r == null ? "-" : r.queue() + "/" + r.jobId();
  }

  /**
   * The original moved on between the two calls (it completed, or was cancelled): the job
   * enqueued to take over from it must not run. Only one this call created is cancelled.
   */
  void dropIfOrphan(String queue, String id, EnqueueResult takeover) {
    if (takeover == null || !takeover.created()) {
      return;
    }
    String to = queries.get(queue, id).map(Job::escalatedTo).orElse(null);
    if (!takeoverOf(takeover).equals(to)) {
      operations.cancel(takeover.queue(), List.of(takeover.jobId()));
      log.info("queue {}: job {} was not escalated after all (it moved on meanwhile); its"
          + " takeover {} is cancelled", queue, id, takeoverOf(takeover));
    }
  }
}
