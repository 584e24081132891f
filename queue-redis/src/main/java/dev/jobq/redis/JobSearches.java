package dev.jobq.redis;

import dev.jobq.Job;
import dev.jobq.JobSearch;
import dev.jobq.SearchPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Searches a queue's jobs by HSCAN over its jobs hash, a page at a time, on one connection: a
 * bounded scan whose cursor is HSCAN's, so a search goes on where the last one stopped and
 * HSCAN's promise holds (every job there all along is seen once, none missed).
 */
final class JobSearches {
  private static final Logger log = LoggerFactory.getLogger(JobSearches.class);
  /** Jobs asked for per HSCAN at most: a round trip per 500, a short hold of Redis for each. */
  static final int STEP = 500;
  /** Jobs asked for per HSCAN at least: a step near the bound still takes a useful bite. */
  static final int MIN_STEP = 10;

  private final Queues queues;

  JobSearches(Queues queues) {
    this.queues = queues;
  }

  SearchPage search(String queue, JobSearch search) {
    Keys k = queues.keys(queue);
    String start = search.cursor() == null ? ScanParams.SCAN_POINTER_START : search.cursor();
    checkCursor(start);
    return queues.redis.call(k.base, j -> scan(j, k, search, start));
  }

  /** HSCAN takes digits only, an unsigned 64-bit number: anything else is refused here. */
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

  private static SearchPage scan(Jedis j, Keys k, JobSearch search, String start) {
    List<Job> found = new ArrayList<>();
    byte[] cursor = start.getBytes(StandardCharsets.US_ASCII);
    long scanned = 0;
    do {
      // COUNT is a hint: a small (listpack) hash answers whole, a larger one about COUNT
      long left = search.maxScan() - scanned;
      ScanParams params = new ScanParams().count((int) Math.max(MIN_STEP, Math.min(STEP, left)));
      ScanResult<Map.Entry<byte[], byte[]>> page = j.hscan(k.jobsBytes(), cursor, params);
      for (Map.Entry<byte[], byte[]> e : page.getResult()) {
        scanned++;
        Job job = decode(k.queue, e.getKey(), e.getValue());
        if (job != null && search.matches(job)) {
          found.add(job);
        }
      }
      cursor = page.getCursorAsBytes();
    } while (!isStart(cursor) && scanned < search.maxScan() && found.size() < search.limit());
    return new SearchPage(found, scanned,
        isStart(cursor) ? null : new String(cursor, StandardCharsets.US_ASCII));
  }

  /** The job, or null for one that cannot be read (edited by hand): it must not stop a search. */
  private static Job decode(String queue, byte[] idBytes, byte[] packed) {
    String id = new String(idBytes, StandardCharsets.UTF_8);
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
