package dev.jobq.http;

import dev.jobq.Job;
import dev.jobq.JobEvent;
import dev.jobq.spi.Broker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job's events still in its queue's stream, oldest first, for {@code /jobs/{id}/events}.
 *
 * <p>It reads forward from the job's creation, a chunk at a time, up to the stream's end or,
 * for a finished job, past its end: at most {@link #SCAN} entries. On a busy queue a long job's
 * newest events can lie further than that, so it then reads back from the end (a finished job's
 * end), at most {@link #BACK} entries, until it meets what it read forward. Events come once;
 * what neither read reached is the gap, which the answer names.
 */
final class JobTimeline {
  /** How many events the forward read looks through at most. */
  static final int SCAN = 10_000;
  /** How many events the read back from the end looks through at most. */
  static final int BACK = 10_000;
  /** The most events one read returns. */
  static final int BATCH = EventRoutes.BATCH;
  /**
   * A job page's first read is small: a finished job's events often end within it, or were
   * trimmed already; later reads double up to {@link #BATCH}.
   */
  static final int FIRST_CHUNK = 50;
  /** Events of a finished job come no later than this after it ended (clocks differ a little). */
  static final Duration AFTER_END = Duration.ofSeconds(1);

  private final Broker broker;
  private final Job job;
  /** Events after this are another's: a finished job's end plus {@link #AFTER_END}; or null. */
  private final Instant end;
  private final List<JobEvent> forward = new ArrayList<>();
  private final List<JobEvent> back = new ArrayList<>(); // newest first
  private int scanned;
  private boolean complete;
  /** The last event the forward read looked at, and the oldest the read back looked at. */
  private JobEvent lastForward;
  private JobEvent oldestBack;

  private JobTimeline(Broker broker, Job job) {
    this.broker = broker;
    this.job = job;
    this.end = job.status().isFinished() && job.finishedAt() != null
        ? job.finishedAt().plus(AFTER_END) : null;
  }

  /** The job's events read: {@code {job, queue, events, scanned, complete, gap}}. */
  static Map<String, Object> read(Broker broker, Job job) {
    JobTimeline t = new JobTimeline(broker, job);
    t.readForward();
    if (!t.complete) {
      t.readBack();
    }
    return t.answer();
  }

  private void readForward() {
    String position = broker.eventsPositionBefore(job.queue(), job.createdAt());
    int chunk = FIRST_CHUNK;
    int looked = 0;
    while (!complete && looked < SCAN) {
      int asked = Math.min(chunk, SCAN - looked);
      List<JobEvent> read = broker.eventsAfter(job.queue(), position, asked);
      complete = read.size() < asked;
      for (JobEvent e : read) {
        if (end != null && e.at().isAfter(end)) {
          complete = true;
          break;
        }
        looked++;
        position = e.position();
        lastForward = e;
        if (e.jobId().equals(job.id())) {
          forward.add(e);
        }
      }
      chunk = Math.min(2 * chunk, BATCH);
    }
    scanned += looked;
  }

  /** Back from the end until it meets the forward read (then nothing is missing) or its bound. */
  private void readBack() {
    String position = end == null ? "+" : after(
        broker.eventsPositionBefore(job.queue(), end.plus(AFTER_END)));
    int chunk = FIRST_CHUNK;
    int looked = 0;
    while (!complete && looked < BACK) {
      int asked = Math.min(chunk, BACK - looked);
      List<JobEvent> read = broker.eventsBefore(job.queue(), position, asked);
      complete = read.size() < asked; // the stream's start: the forward read was before it
      for (JobEvent e : read) {
        if (compare(e.position(), lastForward.position()) <= 0) {
          complete = true;
          break;
        }
        looked++;
        position = e.position();
        oldestBack = e;
        if (e.jobId().equals(job.id()) && (end == null || !e.at().isAfter(end))) {
          back.add(e);
        }
      }
      chunk = Math.min(2 * chunk, BATCH);
    }
    scanned += looked;
  }

  private Map<String, Object> answer() {
    List<Map<String, Object>> events = new ArrayList<>();
    forward.forEach(e -> events.add(Views.event(e)));
    for (int i = back.size() - 1; i >= 0; i--) {
      events.add(Views.event(back.get(i)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", job.id());
    m.put("queue", job.queue());
    m.put("events", events);
    m.put("scanned", scanned);
    m.put("complete", complete);
    m.put("gap", complete ? null : gap());
    return m;
  }

  /** The stretch of the stream neither read looked at, between the two events that border it. */
  private Map<String, Object> gap() {
    Map<String, Object> gap = new LinkedHashMap<>();
    gap.put("after", lastForward.position());
    gap.put("from", Views.text(lastForward.at()));
    gap.put("before", oldestBack == null ? null : oldestBack.position());
    gap.put("to", oldestBack == null ? null : Views.text(oldestBack.at()));
    return gap;
  }

  /**
   * The position just after {@code position}: reading back from it (not included) takes in
   * every event up to {@code position}, as eventsPositionBefore promises for what comes later.
   */
  static String after(String position) {
    long[] p = parse(position);
    return Long.toUnsignedString(p[0]) + "-" + Long.toUnsignedString(p[1] + 1);
  }

  /** Orders two stream positions {@code ms-seq}, as unsigned numbers. */
  static int compare(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    int byMs = Long.compareUnsigned(x[0], y[0]);
    return byMs != 0 ? byMs : Long.compareUnsigned(x[1], y[1]);
  }

  private static long[] parse(String position) {
    int dash = position.indexOf('-');
    if (dash < 0) {
      return new long[] {Long.parseUnsignedLong(position), 0};
    }
    return new long[] {Long.parseUnsignedLong(position.substring(0, dash)),
        Long.parseUnsignedLong(position.substring(dash + 1))};
  }
}
