package dev.jobq;

import java.util.Locale;
import java.util.Objects;

/**
 * What to look for in one queue's jobs, and how far to look: a bounded scan, so that a search of
 * a queue with a million jobs answers at once and says how far it got ({@link SearchPage}).
 *
 * @param in which part of a job the text is looked for in
 * @param text looked for case-insensitively as a part of it (a job id, a type, a header value, an
 *     error class or message)
 * @param status only jobs of this status; null for any
 * @param cursor where an earlier search stopped ({@link SearchPage#cursor()}); null to start
 * @param limit the scan stops once this many matched, 1 to {@link #MAX_LIMIT}
 * @param maxScan the scan stops once it looked at this many jobs, 1 to {@link #MAX_SCAN}
 *
 * <p>A scan goes in steps and finishes the step it is in, since its cursor can only point
 * between steps. On Redis a step is a page of HSCAN (of ZSCAN, for a status's sorted set) asking
 * for {@code max(10, min(500, maxScan - looked at so far))} jobs, a hint that Redis may pass: a
 * queue's jobs hash of up to {@code hash-max-listpack-entries} jobs (128 by default) comes whole
 * in one page (a set of up to {@code zset-max-listpack-entries}, likewise), and a larger one may
 * add the rest of a hash bucket (a few jobs). So a search may look at up to 9 jobs more
 * than {@code maxScan} (a bound under 10), or the whole small hash, plus a few; and it answers
 * every match of its last page, up to that page's size more than {@code limit}. The in-memory
 * broker steps one job at a time and stops at both bounds exactly. A cursor is digits (an
 * unsigned 64-bit number); any other is refused with an IllegalArgumentException.
 * Searches that go on from each other's cursors see every job that was there all along, some
 * perhaps twice (as Redis's HSCAN may); jobs added or removed meanwhile may or may not be seen.
 *
 * <p>Two shortcuts keep a search of a big queue quick. A first search by id ({@code cursor}
 * null) looks the text up as a whole id first: when that job exists and matches, the search
 * answers it alone, having looked at one job, with the cursor {@code "0"} to scan the queue for
 * ids that contain the text; scans pass over the job whose id is the text (it was answered
 * first). A search of one status other than waiting scans that status's index (on Redis its
 * sorted set), so {@code scanned} counts the jobs of that status only; waiting jobs and a search
 * of any status scan all the queue's jobs. A cursor belongs to the status it was given for.
 */
public record JobSearch(Field in, String text, JobStatus status, String cursor, int limit,
    int maxScan) {
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_SCAN = 10_000;

  /** The part of a job a search looks in. */
  public enum Field {
    ID, TYPE, HEADER, ERROR
  }

  public JobSearch {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("text is empty: give what to look for");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " is not within 1.." + MAX_LIMIT);
    }
    if (maxScan < 1 || maxScan > MAX_SCAN) {
      throw new IllegalArgumentException("maxScan " + maxScan + " is not within 1.." + MAX_SCAN);
    }
  }

  /** A first search: from the start, looking at up to {@link #MAX_SCAN} jobs. */
  public static JobSearch of(Field in, String text, JobStatus status, int limit) {
    return new JobSearch(in, text, status, null, limit, MAX_SCAN);
  }

  /**
   * Whether this is a search by id for exactly this id: a first search looks that job up before
   * it scans, and scans pass over it.
   */
  public boolean isExactId(String id) {
    return in == Field.ID && text.equals(id);
  }

  /**
   * False when a job with this id cannot match, whatever else it holds: a broker need not read
   * it. True for every id unless the search is by id.
   */
  public boolean mayMatch(String id) {
    return in != Field.ID || contains(id);
  }

  /** Whether the job is one this search looks for; both brokers decide with this one rule. */
  public boolean matches(Job job) {
    if (status != null && job.status() != status) {
      return false;
    }
    return switch (in) {
      case ID -> contains(job.id());
      case TYPE -> contains(job.type());
      case HEADER -> job.headers().values().stream().anyMatch(this::contains);
      case ERROR -> contains(job.errorClass()) || contains(job.error());
    };
  }

  /**
   * Whether the value holds the text, case-insensitively: the test {@link #matches} makes of
   * each field it looks in, which a broker may also make of fields it read alone.
   */
  public boolean contains(String value) {
    return value != null
        && value.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
  }
}
