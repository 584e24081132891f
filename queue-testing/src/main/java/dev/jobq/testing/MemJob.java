package dev.jobq.testing;

import dev.jobq.Backoff;
import dev.jobq.Escalation;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A job as the Redis broker stores it (PROTOCOL.md, The job), field for field: a field that the
 * scripts leave unwritten is null here (no attempt, token or enqueued_at until they change), so
 * that {@link #toJob} reads it as {@code StoredJob} reads the stored map. Mutable; only touched
 * under the broker's lock.
 */
final class MemJob {
  String type;
  String payload;
  int pri;
  JobStatus status;
  /** Null while at its start (0); never 0 once set: release and retry clear it instead. */
  Integer attempt;
  int maxAttempts;
  String backoff;
  Long timeoutMs;
  Long token;
  long createdAt;
  /** Its place in a search's order (Queries.search): 1, 2, … as the queue's jobs were enqueued. */
  long seq;
  Long enqueuedAt;
  Long runAt;
  Long startedAt;
  Long finishedAt;
  String worker;
  String errorClass;
  String error;
  String stack;
  String result;
  String progress;
  Long progressAt;
  /** The parents as given (comma-separated in Redis), null without any. */
  List<String> deps;
  int depsLeft;
  boolean depsAnyway;
  /** A parent's children still to be told when it ends, each once, null when none. */
  LinkedHashSet<String> children;
  /** The children a parent settled, the first {@link Job#MAX_CHILDREN_KEPT}; null when none. */
  List<String> childrenDone;
  Map<String, String> headers;
  Escalation escalate;
  String escalatedTo;

  /**
   * A new job from its request: the fields every job has and the options kept on it. A job
   * that replaces a finished one of its id hands on that one's token, so that no claim of the
   * new job repeats one.
   */
  static MemJob from(JobRequest r, long now, Long token) {
    MemJob job = new MemJob();
    job.type = r.type();
    job.payload = r.payload();
    job.pri = r.priority().level();
    job.maxAttempts = r.maxAttempts();
    job.createdAt = now;
    job.token = token;
    job.backoff = r.backoff() == null ? null : r.backoff().spec();
    job.timeoutMs = r.timeout() == null ? null : r.timeout().toMillis();
    job.headers = r.headers().isEmpty() ? null : Map.copyOf(r.headers());
    job.escalate = r.escalation();
    return job;
  }

  int attempts() {
    return attempt == null ? 0 : attempt;
  }

  long tokenOr0() {
    return token == null ? 0 : token;
  }

  boolean isFinished() {
    return status != null && status.isFinished();
  }

  /** Whether {@code deps} names the parent. */
  boolean dependsOn(String parent) {
    return deps != null && deps.contains(parent);
  }

  void addChild(String child) {
    if (children == null) {
      children = new LinkedHashSet<>();
    }
    children.add(child);
  }

  Job toJob(String queue, String id) {
    return new Job(
        id,
        queue,
        type,
        payload,
        Priority.ofLevel(pri),
        status,
        attempts(),
        maxAttempts,
        backoff == null ? null : Backoff.parse(backoff),
        timeoutMs == null ? null : Duration.ofMillis(timeoutMs),
        instant(createdAt),
        enqueuedAtShown(),
        instant(runAt),
        instant(startedAt),
        instant(finishedAt),
        worker,
        tokenOr0(),
        errorClass,
        error,
        stack == null || stack.isEmpty() ? null : stack,
        result,
        progress,
        deps == null ? List.of() : deps,
        childrenShown(),
        headers == null ? Map.of() : headers,
        escalatedTo);
  }

  /** As StoredJob reads it: the settled children, then those still waiting, each once. */
  private List<String> childrenShown() {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    if (childrenDone != null) {
      ids.addAll(childrenDone);
    }
    if (children != null) {
      ids.addAll(children);
    }
    return List.copyOf(ids);
  }

  /**
   * As StoredJob reads it: a job never made ready a second time has no enqueued_at; one ready at
   * its creation (no run-at, no parents) or that has run since last became ready at creation.
   */
  private Instant enqueuedAtShown() {
    if (enqueuedAt != null) {
      return instant(enqueuedAt);
    }
    boolean readyAtCreation = runAt == null && deps == null;
    return readyAtCreation || attempt != null ? instant(createdAt) : null;
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }
}
