package dev.jobq.testing;

import dev.jobq.InvalidJobException;
import dev.jobq.JobEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue's event stream, as the Redis stream {@code P:{q}:events} holds it: entries in order,
 * each at a position {@code ms-seq} that only grows (the broker's clock in ms; the sequence
 * tells apart entries of one ms, and keeps growing should the clock step back), capped at the
 * newest {@code kept} entries (exactly, where Redis trims about that many).
 */
final class EventLog {
  /** The stream's cap unless set (PROTOCOL.md, meta {@code events_kept}). */
  static final long DEFAULT_KEPT = 10_000;

  private record Entry(long ms, long seq, JobEvent event) {}

  private final String queue;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long lastMs;
  private long lastSeq = -1;
  long kept = DEFAULT_KEPT;

  EventLog(String queue) {
    this.queue = queue;
  }

  /**
   * Appends an event of a job at {@code atMs} (the transition's now), then its own fields as
   * name/value pairs; nothing when events are off (kept 0).
   */
  void append(long clockMs, String jobId, String label, long atMs, Object... fields) {
    if (kept <= 0) {
      return;
    }
    long ms = Math.max(clockMs, lastMs);
    long seq = ms == lastMs ? lastSeq + 1 : 0;
    lastMs = ms;
    lastSeq = seq;
    Map<String, String> details = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      details.put((String) fields[i], String.valueOf(fields[i + 1]));
    }
    JobEvent.Type type = JobEvent.Type.ofLabel(label).orElse(JobEvent.Type.UNKNOWN);
    entries.addLast(new Entry(ms, seq, new JobEvent(ms + "-" + seq, queue, jobId, type,
        Instant.ofEpochMilli(atMs), details)));
    while (entries.size() > kept) {
      entries.removeFirst();
    }
  }

  /** The newest position, or {@code 0-0} when there is no event. */
  String tail() {
    return entries.isEmpty() ? "0-0" : entries.getLast().event().position();
  }

  /** The newest {@code max} events, oldest first. */
  List<JobEvent> recent(int max) {
    List<JobEvent> out = new ArrayList<>();
    Iterator<Entry> newest = entries.descendingIterator();
    while (newest.hasNext() && out.size() < max) {
      out.add(0, newest.next().event());
    }
    return out;
  }

  /** The position of the last event before the first that happened at {@code since} or later. */
  String positionBefore(Instant since) {
    String before = "0-0";
    for (Entry e : entries) {
      if (!e.event().at().isBefore(since)) {
        break;
      }
      before = e.event().position();
    }
    return before;
  }

  /** Events after a position, oldest first, at most {@code max} (0 or less: all). */
  List<JobEvent> after(String position, int max) {
    long[] p = parse(position);
    List<JobEvent> out = new ArrayList<>();
    for (Entry e : entries) {
      if (max > 0 && out.size() >= max) {
        break;
      }
      if (e.ms() > p[0] || e.ms() == p[0] && e.seq() > p[1]) {
        out.add(e.event());
      }
    }
    return out;
  }

  /** Events before a position (not included; "+" for the end), newest first, at most max. */
  List<JobEvent> before(String position, int max) {
    long[] p = "+".equals(position) ? null : parse(position);
    List<JobEvent> out = new ArrayList<>();
    Iterator<Entry> newest = entries.descendingIterator();
    while (newest.hasNext() && out.size() < max) {
      Entry e = newest.next();
      if (p == null || e.ms() < p[0] || e.ms() == p[0] && e.seq() < p[1]) {
        out.add(e.event());
      }
    }
    return out;
  }

  /** A stream position as XREAD takes it: {@code ms-seq}, or {@code ms} for {@code ms-0}. */
  static long[] parse(String position) {
    String p = String.valueOf(position);
    int dash = p.indexOf('-');
    try {
      if (dash < 0) {
        return new long[] {Long.parseUnsignedLong(p), 0};
      }
      return new long[] {
        Long.parseUnsignedLong(p.substring(0, dash)), Long.parseUnsignedLong(p.substring(dash + 1))
      };
    } catch (NumberFormatException e) {
      throw new InvalidJobException("event position '" + p + "' is not one: use ms-seq, such as"
          + " 1700000000000-0 (eventsTail or an event's position), or 0-0 for the start");
    }
  }
}
