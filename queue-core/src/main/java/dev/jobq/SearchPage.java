package dev.jobq;

import java.util.List;

/**
 * What one bounded search found ({@link JobSearch}).
 *
 * @param jobs the matches, in no set order
 * @param scanned how many jobs were looked at
 * @param cursor where to go on with the next search; null when the whole queue was looked at
 */
public record SearchPage(List<Job> jobs, long scanned, String cursor) {
  public SearchPage {
    jobs = List.copyOf(jobs);
  }

  /** True when every job of the queue was looked at. */
  public boolean complete() {
    return cursor == null;
  }
}
