package dev.jobq.redis;

import dev.jobq.Job;
import dev.jobq.JobSearch;
import dev.jobq.JobStatus;
import dev.jobq.SearchPage;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Searches a queue's jobs a page at a time, on one connection: a bounded scan whose cursor is
 * Redis's, so a search goes on where the last one stopped and the scan's promise holds (every job
 * there all along is seen once, none missed). A search of one status other than waiting scans
 * that status's sorted set (ZSCAN, then HMGET of the ids) instead of the whole jobs hash (HSCAN):
 * ten thousand failed jobs among a million waiting ones are all looked at in one search. A first
 * search by id looks the text up as a whole id (HGET) before it scans.
 */
final class JobSearches {
  private static final Logger log = LoggerFactory.getLogger(JobSearches.class);
  /** Jobs asked for per scan step at most: a round trip per 500, a short hold of Redis for each. */
  static final int STEP = 500;
  /** Jobs asked for per scan step at least: a step near the bound still takes a useful bite. */
  static final int MIN_STEP = 10;
  /** The cursor of a scan's start, and the one a search that answered an exact id goes on with. */
  static final String START = ScanParams.SCAN_POINTER_START;

  /** The stored fields a search by type, or by error, looks in. */
  private static final Set<String> TYPE_FIELDS = Set.of("type");
  private static final Set<String> ERROR_FIELDS = Set.of("error_class", "error");

  /** One step of a scan: ids with their stored jobs (null for one gone), and where to go on. */
  private record Step(List<Map.Entry<byte[], byte[]>> jobs, byte[] cursor) {}

  private final Queues queues;

  JobSearches(Queues queues) {
    this.queues = queues;
  }

  SearchPage search(String queue, JobSearch search) {
    Keys k = queues.keys(queue);
    if (search.cursor() != null) {
      checkCursor(search.cursor());
    }
    return queues.redis.call(k.base, j -> {
      if (search.cursor() == null && search.in() == JobSearch.Field.ID) {
        Job exact = exact(j, k, search);
        if (exact != null) {
          return new SearchPage(List.of(exact), 1, START);
        }
      }
      return scan(j, k, search, search.cursor() == null ? START : search.cursor());
    });
  }

  /** HSCAN and ZSCAN take digits only, an unsigned 64-bit number: anything else is refused. */
  static void checkCursor(String cursor) {
    boolean digits = !cursor.isEmpty() && cursor.chars().allMatch(c -> c >= '0' && c <= '9');
    try {
      if (digits) {
        Long.parseUnsignedLong(cursor);
        return;
      }
    } catch (NumberFormatException e) {
      // out of range: refused below
    }
    throw new IllegalArgumentException("search cursor '" + cursor + "' is not one a search"
        + " answered: pass its cursor back unchanged, or none to start");
  }

  /** The job whose id is the text, when it matches: one HGET, however big the queue. */
  private static Job exact(Jedis j, Keys k, JobSearch search) {
    byte[] packed = j.hget(k.jobsBytes(), search.text().getBytes(StandardCharsets.UTF_8));
    Job job = packed == null ? null : decode(k.queue, search.text(), packed);
    return job != null && search.matches(job) ? job : null;
  }

  private static SearchPage scan(Jedis j, Keys k, JobSearch search, String start) {
    boolean indexed = search.status() != null && search.status() != JobStatus.WAITING;
    List<Job> found = new ArrayList<>();
    byte[] cursor = start.getBytes(StandardCharsets.US_ASCII);
    long scanned = 0;
    do {
      // COUNT is a hint: a small (listpack) hash or set answers whole, a larger one about COUNT
      long left = search.maxScan() - scanned;
      int count = (int) Math.max(MIN_STEP, Math.min(STEP, left));
      Step step = indexed ? indexStep(j, k, search, cursor, count) : hashStep(j, k, cursor, count);
      for (Map.Entry<byte[], byte[]> e : step.jobs()) {
        scanned++;
        String id = new String(e.getKey(), StandardCharsets.UTF_8);
        if (e.getValue() == null || search.isExactId(id) || !search.mayMatch(id)
            || !fieldsMayMatch(search, e.getValue())) {
          continue; // gone, answered first, or one that cannot match: not decoded whole
        }
        Job job = decode(k.queue, id, e.getValue());
        if (job != null && search.matches(job)) {
          found.add(job);
        }
      }
      cursor = step.cursor();
    } while (!isStart(cursor) && scanned < search.maxScan() && found.size() < search.limit());
    return new SearchPage(found, scanned,
        isStart(cursor) ? null : new String(cursor, StandardCharsets.US_ASCII));
  }

  private static Step hashStep(Jedis j, Keys k, byte[] cursor, int count) {
    ScanResult<Map.Entry<byte[], byte[]>> page =
        j.hscan(k.jobsBytes(), cursor, new ScanParams().count(count));
    return new Step(page.getResult(), page.getCursorAsBytes());
  }

  /**
   * A page of the status's sorted set, and the jobs of those ids that may match (the others are
   * not read: a search by id reads only the ids that contain the text).
   */
  private static Step indexStep(Jedis j, Keys k, JobSearch search, byte[] cursor, int count) {
    byte[] set = k.setOf(search.status()).getBytes(StandardCharsets.UTF_8);
    ScanResult<Tuple> page = j.zscan(set, cursor, new ScanParams().count(count));
    List<Tuple> ids = page.getResult();
    boolean[] read = new boolean[ids.size()];
    List<byte[]> wanted = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      byte[] id = ids.get(i).getBinaryElement();
      read[i] = search.mayMatch(new String(id, StandardCharsets.UTF_8));
      if (read[i]) {
        wanted.add(id);
      }
    }
    List<byte[]> packed = wanted.isEmpty()
        ? List.of() : j.hmget(k.jobsBytes(), wanted.toArray(byte[][]::new));
    List<Map.Entry<byte[], byte[]>> jobs = new ArrayList<>(ids.size());
    int next = 0;
    for (int i = 0; i < ids.size(); i++) {
      // an id passed over is kept with a null job: it was looked at, and cannot match
      jobs.add(new AbstractMap.SimpleEntry<>(ids.get(i).getBinaryElement(),
          read[i] ? packed.get(next++) : null));
    }
    return new Step(jobs, page.getCursorAsBytes());
  }

  /**
   * False when a search by type or by error cannot match the job, as its type or error fields,
   * read alone (its payload skipped), tell: most jobs of a big queue have no error, and reading
   * each whole cost most of such a search.
   */
  private static boolean fieldsMayMatch(JobSearch search, byte[] packed) {
    Set<String> fields = switch (search.in()) {
      case TYPE -> TYPE_FIELDS;
      case ERROR -> ERROR_FIELDS;
      case ID, HEADER -> Set.of();
    };
    if (fields.isEmpty()) {
      return true;
    }
    try {
      return MessagePack.readFields(packed, fields).values().stream().anyMatch(search::contains);
    } catch (RuntimeException e) {
      return true; // decoded whole next, which logs why it cannot be read
    }
  }

  /** The job, or null for one that cannot be read (edited by hand): it must not stop a search. */
  private static Job decode(String queue, String id, byte[] packed) {
    try {
      return StoredJob.fromMap(queue, id, StoredJob.fields(queue, id, packed));
    } catch (IllegalStateException e) {
      log.warn("{}; left out of a search (jobq doctor reports it)", e.getMessage());
      return null;
    }
  }

  private static boolean isStart(byte[] cursor) {
    return cursor.length == 1 && cursor[0] == '0';
  }
}
