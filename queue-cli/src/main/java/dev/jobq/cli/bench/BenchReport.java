package dev.jobq.cli.bench;

import java.util.Map;

/**
 * The figures of one {@code jobq bench} run; {@code --json} prints it as it is.
 *
 * @param commandsPerJob Redis commands per job while enqueueing in batches and draining, by
 *     command, the commands scripts ran included
 * @param enqueueRedisMicrosPerJob Redis's time per job while enqueueing in batches, by command
 *     ("lua": EVALSHA's time less that of every other command, about the scripts' own time),
 *     the largest first
 * @param drainRedisMicrosPerJob the same while the workers drained the queue
 * @param redisCpuSecondsPer1000Jobs Redis's user and system CPU while enqueueing in batches and
 *     draining
 * @param http the same measures through the HTTP API ({@code --http}), or null
 * @param shards each node's share of the batch enqueue and the drain (one node on one server,
 *     each master under a cluster), and the projection to shards on cores of their own
 */
public record BenchReport(
    Bench.Plan plan,
    String redisVersion,
    double enqueueSinglePerSecond,
    double enqueueBatchPerSecond,
    double endToEndPerSecond,
    double pickupP50Ms,
    double pickupP95Ms,
    double pickupP99Ms,
    Map<String, Double> commandsPerJob,
    Map<String, Double> enqueueRedisMicrosPerJob,
    Map<String, Double> drainRedisMicrosPerJob,
    double bytesPerWaitingJob,
    double bytesPerCompletedJob,
    double redisCpuSecondsPer1000Jobs,
    RedisReference.Figures reference,
    HttpBench.Figures http,
    Shards shards) {

  /** This report with the figures measured through the HTTP API. */
  public BenchReport withHttp(HttpBench.Figures figures) {
    return new BenchReport(plan, redisVersion, enqueueSinglePerSecond, enqueueBatchPerSecond,
        endToEndPerSecond, pickupP50Ms, pickupP95Ms, pickupP99Ms, commandsPerJob,
        enqueueRedisMicrosPerJob, drainRedisMicrosPerJob, bytesPerWaitingJob,
        bytesPerCompletedJob, redisCpuSecondsPer1000Jobs, reference, figures, shards);
  }
}
