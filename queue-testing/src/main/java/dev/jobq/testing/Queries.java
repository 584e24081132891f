package dev.jobq.testing;

import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobSearch;
import dev.jobq.JobStatus;
import dev.jobq.SearchPage;
import dev.jobq.internal.ErrorText;
import dev.jobq.spi.FailedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The read side: a job by id, a job anywhere, a page of jobs of one status, a search. */
final class Queries {
  private final Store store;

  Queries(Store store) {
    this.store = store;
  }

  Optional<Job> get(String queue, String id) {
    QueueState q = store.queue(queue);
    MemJob job = q.job(id);
    return job == null ? Optional.empty() : Optional.of(job.toJob(queue, id));
  }

  /** The job in the first known queue, by name, that has it. */
  Optional<Job> find(String id) {
    for (String queue : store.known()) {
      Optional<Job> job = get(queue, id);
      if (job.isPresent()) {
        return job;
      }
    }
    return Optional.empty();
  }

  /**
   * Waiting jobs in the order they will run; the others by their index's score, oldest first,
   * finished ones newest first. An index lists a job cancelled while it ran in both its sets.
   */
  JobPage list(String queue, JobStatus status, long offset, int limit) {
    QueueState q = store.queue(queue);
    List<String> ids = new ArrayList<>();
    long total;
    if (status == JobStatus.WAITING) {
      total = waitingPage(q, offset, limit, ids);
    } else {
      ScoredSet set = q.setOf(status);
      total = set.size();
      ids = status.isFinished()
          ? set.revRange(offset, offset + limit - 1)
          : set.range(offset, offset + limit - 1);
    }
    List<Job> jobs = new ArrayList<>();
    for (String id : ids) {
      MemJob job = q.job(id);
      if (job != null) {
        jobs.add(job.toJob(queue, id));
      }
    }
    return new JobPage(jobs, offset, total);
  }

  /** The newest failed jobs, newest first, with their error class and first line only. */
  List<FailedJob> newestFailed(String queue, int max) {
    QueueState q = store.queue(queue);
    List<FailedJob> failed = new ArrayList<>();
    if (max <= 0) {
      return failed;
    }
    for (String id : q.failed.revRange(0, max - 1L)) {
      MemJob job = q.job(id);
      if (job != null) {
        failed.add(new FailedJob(id, job.errorClass == null ? "" : job.errorClass,
            ErrorText.firstLine(job.error),
            job.finishedAt == null ? null : Instant.ofEpochMilli(job.finishedAt)));
      }
    }
    return failed;
  }

  /** Pages through the four priority lists as if they were one. */
  private static long waitingPage(QueueState q, long offset, int limit, List<String> ids) {
    long total = 0;
    long skip = offset;
    for (int level = 0; level < 4; level++) {
      List<String> list = new ArrayList<>(q.waiting(level));
      total += list.size();
      for (long i = skip; ids.size() < limit && i < list.size(); i++) {
        ids.add(list.get((int) i));
      }
      skip = Math.max(0, skip - list.size());
    }
    return total;
  }

  /**
   * Looks at the queue's jobs in the order they were enqueued (MemJob.seq), one at a time, from
   * after the one the cursor names: as with Redis's HSCAN, a job there all along is never missed
   * between searches. The cursor is digits, as Redis's, so that both brokers refuse the same.
   * As on Redis, a first search by id answers the job of exactly that id alone, and a search of
   * one status other than waiting looks at (and counts) that status's jobs only.
   */
  SearchPage search(String queue, JobSearch search) {
    QueueState q = store.queue(queue);
    if (search.cursor() == null && search.in() == JobSearch.Field.ID) {
      MemJob exact = q.job(search.text());
      Job job = exact == null ? null : exact.toJob(queue, search.text());
      if (job != null && search.matches(job)) {
        return new SearchPage(List.of(job), 1, "0");
      }
    }
    TreeMap<Long, Map.Entry<String, MemJob>> bySeq = new TreeMap<>(Long::compareUnsigned);
    q.jobs.entrySet().forEach(e -> bySeq.put(e.getValue().seq, e));
    Map<Long, Map.Entry<String, MemJob>> rest =
        search.cursor() == null ? bySeq : bySeq.tailMap(position(search.cursor()), false);
    boolean indexed = search.status() != null && search.status() != JobStatus.WAITING;
    List<Job> found = new ArrayList<>();
    long scanned = 0;
    long last = 0;
    for (Map.Entry<String, MemJob> e : rest.values()) {
      if (indexed && e.getValue().status != search.status()) {
        continue; // not in the status's index, which is all a search of that status looks at
      }
      if (scanned >= search.maxScan() || found.size() >= search.limit()) {
        return new SearchPage(found, scanned, Long.toUnsignedString(last));
      }
      scanned++;
      last = e.getValue().seq;
      if (search.isExactId(e.getKey())) {
        continue; // a first search answered it
      }
      Job job = e.getValue().toJob(queue, e.getKey());
      if (search.matches(job)) {
        found.add(job);
      }
    }
    return new SearchPage(found, scanned, null);
  }

  /** A cursor as Redis takes it: digits only, an unsigned 64-bit number. */
  private static long position(String cursor) {
    try {
      if (!cursor.isEmpty() && cursor.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Long.parseUnsignedLong(cursor);
      }
    } catch (NumberFormatException e) {
      // out of range: refused below
    }
    throw new IllegalArgumentException("search cursor '" + cursor + "' is not one a search"
        + " answered: pass its cursor back unchanged, or none to start");
  }
}
