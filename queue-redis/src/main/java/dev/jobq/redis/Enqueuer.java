package dev.jobq.redis;

import dev.jobq.EnqueueResult;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.JobqException;
import dev.jobq.Schedule;
import dev.jobq.internal.Json;
import dev.jobq.spi.EnqueueAnswers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts jobs in: one enqueue script call per queue of a batch, its refusals (an unknown parent,
 * a full queue) thrown as the exceptions they are, and each job's place and expected wait.
 */
final class Enqueuer {

  private final Queues queues;

  Enqueuer(Queues queues) {
    this.queues = queues;
  }

  /** The results in the order of the requests; the requests of one queue go in one call. */
  List<EnqueueResult> enqueue(List<JobRequest> requests) {
    return EnqueueAnswers.perQueue(requests, (queue, batch) -> enqueueInto(queue, batch, List.of()));
  }

  /**
   * Enqueues the job of a schedule's tick, and moves the schedule on to {@code next}, if the
   * schedule is still due at {@code due}, recording the firing as its last; empty when another
   * worker fired that tick first.
   */
  Optional<EnqueueResult> enqueueTick(JobRequest job, String schedule, long due, long next) {
    return first(enqueueInto(job.queue(), List.of(job),
        List.of(schedule, "tick", Long.toString(due), Long.toString(next))));
  }

  /**
   * Enqueues the job of a schedule triggered by hand, named as a tick now, if the schedule
   * still exists with the definition read as {@code definition} (its JSON in schedules),
   * recording the firing as its last at that same instant; its ticks stay. Empty when it is
   * gone or was replaced meanwhile: the job of an old definition is not enqueued.
   */
  Optional<EnqueueResult> enqueueTrigger(Schedule schedule, String definition) {
    long now = queues.now();
    JobRequest job = schedule.jobFor(Instant.ofEpochMilli(now));
    return first(enqueueInto(job.queue(), List.of(job), now,
        List.of(schedule.name(), "trigger", definition)));
  }

  private static Optional<EnqueueResult> first(List<EnqueueResult> r) {
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  private List<EnqueueResult> enqueueInto(String queue, List<JobRequest> batch, List<String> tick) {
    return enqueueInto(queue, batch, queues.now(), tick);
  }

  private List<EnqueueResult> enqueueInto(String queue, List<JobRequest> batch, long now,
      List<String> tick) {
    queues.remember(queue);
    List<?> out = (List<?>) queues.runReplicated(Script.ENQUEUE, queue, now,
        arguments(batch, now, tick));
    Optional<Reply> refusal = Reply.batchRefusal(out);
    if (refusal.isPresent()) {
      JobqException error = refusal.get().batchError(queue, out, batch.size());
      if (error == null) {
        // TICK_TAKEN: another caller fired this tick, or the schedule is gone or replaced
        return List.of();
      }
      throw error;
    }
    long recent = (Long) out.get(batch.size());
    List<EnqueueResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      List<?> row = (List<?>) out.get(i);
      JobStatus status = JobStatus.parse((String) row.get(1));
      long position = (Long) row.get(2);
      Duration wait = EnqueueAnswers.estimatedWait(status, position, recent, runAt(batch.get(i), now) - now);
      // a duplicate of a uniqueness key is answered with the job that holds the key
      String id = row.size() > 3 ? (String) row.get(3) : batch.get(i).id();
      results.add(new EnqueueResult(id, queue, (Long) row.get(0) == 1, status, position, wait));
    }
    return results;
  }

  private List<String> arguments(List<JobRequest> batch, long now, List<String> tick) {
    List<String> args = new ArrayList<>(3 + batch.size() * 7 + tick.size());
    args.add(Integer.toString(batch.size()));
    args.add(Long.toString(queues.config.cancelledRetention().toMillis()));
    args.add(Long.toString(queues.config.maxFinishedKept()));
    for (JobRequest r : batch) {
      args.add(r.id());
      args.add(r.type());
      args.add(r.payload());
      args.add(Integer.toString(r.priority().level()));
      args.add(Integer.toString(r.maxAttempts()));
      args.add(Long.toString(runAt(r, now)));
      List<String> options = options(r);
      args.add(Integer.toString(options.size() / 2));
      args.addAll(options);
    }
    args.addAll(tick);
    return args;
  }

  /** What enqueue.lua takes beyond the fields every job has, as name/value pairs. */
  private static List<String> options(JobRequest r) {
    List<String> o = new ArrayList<>(0);
    if (r.backoff() != null) {
      o.addAll(List.of("backoff", r.backoff().spec()));
    }
    if (r.timeout() != null) {
      o.addAll(List.of("timeout_ms", Long.toString(r.timeout().toMillis())));
    }
    if (!r.dependsOn().isEmpty()) {
      o.addAll(List.of("deps", String.join(",", r.dependsOn())));
      if (r.runsEvenIfParentsFail()) {
        o.addAll(List.of("deps_anyway", "1"));
      }
    }
    if (r.uniqueKey() != null) {
      o.addAll(List.of("unique", r.uniqueKey(),
          "unique_ms", Long.toString(r.uniqueWindow().toMillis())));
    }
    if (!r.headers().isEmpty()) {
      o.addAll(List.of("headers", Json.encode(r.headers())));
    }
    if (r.escalation() != null) {
      o.addAll(List.of("escalate", Json.encode(r.escalation())));
    }
    if (r.replacesFinished()) {
      o.addAll(List.of("replace", "1"));
    }
    return o;
  }

  private static long runAt(JobRequest r, long now) {
    if (r.runAt() != null) {
      return r.runAt().toEpochMilli();
    }
    return r.delay().isZero() ? 0 : now + r.delay().toMillis();
  }
}
