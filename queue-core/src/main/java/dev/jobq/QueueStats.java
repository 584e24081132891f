package dev.jobq;

import java.time.Duration;
import java.util.Map;

/**
 * One queue's figures, read in one round trip.
 *
 * @param waiting waiting jobs by priority, every priority present
 * @param jobsPerMinute1 completions per minute over the last minute (also 5 and 15)
 * @param failureRate failed attempts / (completed + failed attempts) over the last 15 minutes
 * @param totalFailedAttempts every failed attempt, retried or not
 * @param totalDeadLettered jobs that went to the failed list
 * @param totalOrphans ids dropped from a list or set because their job was missing or could not
 *     be read (the reaper, from the active set), or its status put it elsewhere (claim, from a
 *     wait list or the delayed set): a job deleted or edited by hand
 * @param totalRetried failed attempts that were tried again after a backoff
 * @param totalCancelled jobs cancelled, by an operator or by a failed dependency
 * @param totalStalled leases that expired and were taken back by the reaper
 * @param totalReleased jobs handed back unspent by a worker shutting down
 * @param oldestWaiting how long the oldest waiting job has been ready, {@link Duration#ZERO}
 *     when none waits; the head of each priority's list, so a paused or limited queue shows it
 *     growing
 * @param maxDepth the most jobs that may wait (waiting and delayed), 0 when unlimited
 * @param heldBack the limits that held ready jobs back in the last few seconds, each as {@code
 *     type deploy: at most 2 running} or {@code queue: at most 10 started per 1s}
 */
public record QueueStats(
    String queue,
    boolean paused,
    Map<Priority, Long> waiting,
    long delayed,
    long active,
    long failed,
    long completed,
    long cancelled,
    long blocked,
    long totalEnqueued,
    long totalCompleted,
    long totalFailedAttempts,
    long totalDeadLettered,
    long totalOrphans,
    long totalRetried,
    long totalCancelled,
    long totalStalled,
    long totalReleased,
    long completedLastMinute,
    long completedLastHour,
    double jobsPerMinute1,
    double jobsPerMinute5,
    double jobsPerMinute15,
    double failureRate,
    Latency waitTime,
    Latency runTime,
    Duration oldestWaiting,
    long maxDepth,
    java.util.List<String> heldBack) {

  public long waitingTotal() {
    return waiting.values().stream().mapToLong(Long::longValue).sum();
  }
}
