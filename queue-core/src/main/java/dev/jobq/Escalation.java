package dev.jobq;

import dev.jobq.internal.Names;

/**
 * Where a job goes when its attempts are exhausted (or it fails permanently), instead of the
 * failed list: a new job, {@code <id>/escalated-<created>} (the original's id and its creation
 * time in epoch ms, so that a reused id escalates anew), of another type and/or queue, one priority
 * higher unless given, with the same payload and headers plus the header {@link #FROM_HEADER}
 * naming the original. The original ends CANCELLED, its last error kept, and {@link
 * Job#escalatedTo()} names the new job. Exactly once: the new job carries a uniqueness key
 * derived from the original, so a worker that dies half-way and the reaper that finishes its
 * work cannot make two.
 *
 * @param type the new job's type, or null for the original's
 * @param queue the new job's queue, or null for the original's
 * @param priority the new job's priority, or null for one higher than the original's
 */
public record Escalation(String type, String queue, Priority priority) {
  /** The header that links an escalated job to its original: {@code queue/id}. */
  public static final String FROM_HEADER = "jobq-escalated-from";
  /** How long the link that keeps an escalation unique holds. */
  public static final java.time.Duration UNIQUE_FOR = java.time.Duration.ofDays(7);

  public Escalation {
    if (type != null) {
      Names.checkType(type);
    }
    if (queue != null) {
      Names.checkQueue(queue);
    }
    if (type == null && queue == null) {
      throw new InvalidJobException("an escalation needs another job type, another queue, or"
          + " both");
    }
  }

  /** The job that takes over from {@code original}. */
  public JobRequest requestFor(Job original) {
    Priority p = priority != null ? priority
        : Priority.ofLevel(Math.max(0, original.priority().level() - 1));
    String run = original.queue() + "/" + original.id() + "@" + original.createdAt().toEpochMilli();
    JobRequest.Builder b = JobRequest.builder(type != null ? type : original.type())
        .id(original.id() + "/escalated-" + original.createdAt().toEpochMilli())
        .queue(queue != null ? queue : original.queue())
        .payload(original.payload())
        .priority(p)
        .maxAttempts(original.maxAttempts())
        .unique("escalated:" + run, UNIQUE_FOR);
    original.headers().forEach(b::header);
    return b.header(FROM_HEADER, original.queue() + "/" + original.id()).build();
  }
}
