package dev.jobq;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The waits of {@link JobClient#await} and {@link JobClient#awaitResult}, over a {@link JobWatch}. */
final class JobAwait {
  private JobAwait() {}

  /** Follows the watched job until it is finished and returns it as it ended. */
  static Job untilFinished(JobWatch watch, String id, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!watch.job().status().isFinished()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("job " + id + " is still " + watch.job().status() + " after "
            + timeout.toMillis() + " ms");
      }
      watch.next(Duration.ofNanos(Math.min(left, JobWatch.RECHECK.toNanos())));
    }
    return watch.job();
  }

  /** The finished job's result as JSON; throws {@link JobFailedException} unless it completed. */
  static String resultOf(Job job) {
    if (job.status() != JobStatus.COMPLETED) {
      throw new JobFailedException(job);
    }
    return job.result();
  }
}
