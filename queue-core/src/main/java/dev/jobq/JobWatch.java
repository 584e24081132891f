package dev.jobq;

import java.time.Duration;
import java.util.List;

/**
 * Follows one job until it ends: its events as they come, on its queue's stream (a blocking
 * read, no polling), and the job itself, read again when one of its events ends it, when a wait
 * brings no event at all (its queue may keep none) and at least every few seconds (on a busy
 * queue the stream may be trimmed past the job's end). Get one with {@link JobClient#watch};
 * not thread-safe.
 */
public final class JobWatch {
  /** The longest time between two reads of the job. */
  static final Duration RECHECK = Duration.ofSeconds(5);

  private final JobClient client;
  private final String queue;
  private final String id;
  private final EventCursor events;
  private Job job;
  private long lastRead;

  JobWatch(JobClient client, String queue, String id) {
    this.client = client;
    this.queue = queue;
    this.id = id;
    // the cursor starts before the job is read, so an ending in between is not missed
    this.events = client.followEvents(List.of(queue));
    read();
  }

  /** The job as last read. */
  public Job job() {
    return job;
  }

  /** Waits up to {@code maxWait} for the job's events and returns them (empty when none came). */
  public List<JobEvent> next(Duration maxWait) throws InterruptedException {
    List<JobEvent> seen = events.next(maxWait);
    List<JobEvent> mine = seen.stream().filter(e -> e.jobId().equals(id)).toList();
    if (seen.isEmpty() || System.nanoTime() - lastRead >= RECHECK.toNanos()
        || mine.stream().anyMatch(e -> e.type().endsJob())) {
      read();
    }
    return mine;
  }

  private void read() {
    job = client.require(queue, id);
    lastRead = System.nanoTime();
  }
}
