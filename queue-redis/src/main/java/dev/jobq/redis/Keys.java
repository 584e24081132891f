package dev.jobq.redis;

import dev.jobq.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds every Redis key jobq uses: the one place key names are spelled. All keys of one queue
 * share the hash tag {@code {queue}}, so a queue lives in one Cluster slot and every script
 * touches a single slot.
 */
final class Keys {
  final String prefix;
  final String queue;
  final String base;
  private final List<byte[]> scriptKeys;

  Keys(String prefix, String queue) {
    this.prefix = prefix;
    this.queue = queue;
    this.base = prefix + ":{" + queue + "}:";
    this.scriptKeys = Arrays.stream(QueueKey.values())
        .map(k -> key(k).getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** One key of the queue. */
  String key(QueueKey k) {
    return base + k.suffix;
  }

  /** Every job of the queue: job id to the job, a MessagePack map (see PROTOCOL.md). */
  String jobs() {
    return key(QueueKey.JOBS);
  }

  byte[] jobsBytes() {
    return scriptKeys.get(QueueKey.JOBS.ordinal());
  }

  /** Ids ready to run at one priority level, a list: FIFO within a priority. */
  String waiting(int level) {
    return key(QueueKey.waiting(level));
  }

  String delayed() {
    return key(QueueKey.DELAYED);
  }

  String active() {
    return key(QueueKey.ACTIVE);
  }

  String blocked() {
    return key(QueueKey.BLOCKED);
  }

  String failed() {
    return key(QueueKey.FAILED);
  }

  /** Failed id to its error in short (QueueKey.FAILED_ERRORS), for grouping dead letters. */
  String failedErrors() {
    return key(QueueKey.FAILED_ERRORS);
  }

  String completed() {
    return key(QueueKey.COMPLETED);
  }

  String cancelled() {
    return key(QueueKey.CANCELLED);
  }

  /** The sorted set that holds jobs of this status; waiting jobs are in {@link #waiting(int)}. */
  String setOf(JobStatus status) {
    return switch (status) {
      case DELAYED -> delayed();
      case ACTIVE -> active();
      case BLOCKED -> blocked();
      case FAILED -> failed();
      case COMPLETED -> completed();
      case CANCELLED -> cancelled();
      case WAITING ->
          throw new IllegalArgumentException("waiting jobs span four lists, one per priority");
    };
  }

  String meta() {
    return key(QueueKey.META);
  }

  String stats() {
    return key(QueueKey.STATS);
  }

  String rate() {
    return key(QueueKey.RATE);
  }

  String waitSamples() {
    return key(QueueKey.WAIT_MS);
  }

  String runSamples() {
    return key(QueueKey.RUN_MS);
  }

  String wake() {
    return key(QueueKey.WAKE);
  }

  /** The lifecycle events of the queue's jobs, a capped stream. */
  String events() {
    return key(QueueKey.EVENTS);
  }

  /** Uniqueness keys (JobRequest.unique) to the id of the job that took each. */
  String unique() {
    return key(QueueKey.UNIQUE);
  }

  /** Uniqueness keys by the end of their window (ms). */
  String uniqueUntil() {
    return key(QueueKey.UNIQUE_UNTIL);
  }

  /** Recurring jobs: schedule name to its definition (JSON). */
  String schedules() {
    return key(QueueKey.SCHEDULES);
  }

  /** Schedule names by their next tick (ms). */
  String scheduleNext() {
    return key(QueueKey.SCHEDULE_NEXT);
  }

  /** Schedule name to its last firing (JSON: at, job, created, triggered). */
  String scheduleLast() {
    return key(QueueKey.SCHEDULE_LAST);
  }

  /** Limits: scope ("queue" or "type:<type>") to "max running,max started,per ms". */
  String limits() {
    return key(QueueKey.LIMITS);
  }

  /** What the claim script keeps about limits: start windows, when a scope last held jobs back. */
  String limitState() {
    return key(QueueKey.LIMIT_STATE);
  }

  /** The KEYS of every script, in {@link QueueKey}'s order. */
  List<byte[]> scriptKeys() {
    return scriptKeys;
  }

  /**
   * What the keys that belong to no queue (the queue index, the worker registry) start with:
   * the prefix, or in a Redis Cluster the prefix and the hash tag {@code {prefix}}, so that they
   * share one slot (a worker's heartbeat and the index it joins are written together). Only in
   * a cluster: a server's keys keep the names that running workers of earlier versions use.
   */
  static String globalBase(RedisConfig config) {
    return config.cluster() ? config.prefix() + ":{" + config.prefix() + "}" : config.prefix();
  }

  static String queues(String prefix) {
    return prefix + ":queues";
  }

  static String workers(String prefix) {
    return prefix + ":workers";
  }

  static String worker(String prefix, String id) {
    return prefix + ":worker:" + id;
  }
}
