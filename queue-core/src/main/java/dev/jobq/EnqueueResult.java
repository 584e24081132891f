package dev.jobq;

import java.time.Duration;

/**
 * What enqueue answers.
 *
 * @param created false when a job with the caller's id already existed unfinished; then nothing
 *     was written and the other fields describe that job
 * @param position how many jobs run before this one (0 = next), or -1 when it is not waiting
 * @param estimatedWait from the position and the queue's recent throughput (plus any delay); null
 *     when the queue has no recent throughput to estimate from
 */
public record EnqueueResult(
    String jobId, String queue, boolean created, JobStatus status, long position,
    Duration estimatedWait) {}
