package dev.jobq;

import dev.jobq.internal.Durations;
import dev.jobq.internal.Names;
import java.time.Duration;

/**
 * A limit on a queue, or on one job type in it, that holds across every worker: at most {@code
 * maxRunning} jobs running at once, and at most {@code maxStarted} started per {@code per}
 * (counted in fixed windows of that length: a burst may straddle two). 0 means no such limit.
 * The claim script enforces it: jobs over the limit keep their place in the queue until they
 * fit. Set with {@link JobClient#setLimit}.
 *
 * @param type the job type it applies to, or null for the whole queue
 */
public record Limit(String type, int maxRunning, int maxStarted, Duration per) {
  public Limit {
    if (type != null) {
      Names.checkType(type);
    }
    if (maxRunning < 0 || maxStarted < 0) {
      throw new InvalidJobException("limits cannot be negative: " + maxRunning + " running, "
          + maxStarted + " started; use 0 for none");
    }
    if (maxRunning == 0 && maxStarted == 0) {
      throw new InvalidJobException("a limit needs a maximum of running jobs, of started jobs"
          + " per interval, or both");
    }
    if (maxStarted > 0 && (per == null || per.toMillis() < 1)) {
      throw new InvalidJobException("a start rate needs an interval of 1 ms or more, got " + per);
    }
    per = maxStarted > 0 ? per : null;
  }

  /** At most {@code n} running at once. */
  public static Limit running(String type, int n) {
    return new Limit(type, n, 0, null);
  }

  /** At most {@code n} started per {@code per}. */
  public static Limit rate(String type, int n, Duration per) {
    return new Limit(type, 0, n, per);
  }

  /** {@code at most 2 running, 10 started per 1m}. */
  public String describe() {
    String running = maxRunning > 0 ? "at most " + maxRunning + " running" : "";
    String rate = maxStarted > 0 ? maxStarted + " started per " + Durations.format(per) : "";
    return running.isEmpty() ? "at most " + rate : rate.isEmpty() ? running : running + ", " + rate;
  }
}
