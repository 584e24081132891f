package dev.jobq.redis;

import dev.jobq.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

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
    this.scriptKeys = Stream.of(jobs(), waiting(0), waiting(1), waiting(2), waiting(3),
        delayed(), active(), blocked(), failed(), completed(), cancelled(), meta(), stats(),
        rate(), waitSamples(), runSamples(), wake(), events(), unique(), uniqueUntil(),
        schedules(), scheduleNext(), limits(), limitState())
        .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Every job of the queue: job id to the job, a MessagePack map (see PROTOCOL.md). */
  String jobs() {
    return base + "jobs";
  }

  byte[] jobsBytes() {
    return scriptKeys.get(0);
  }

  /** Ids ready to run at one priority level, a list: FIFO within a priority. */
  String waiting(int level) {
    return base + "wait:" + level;
  }

  String delayed() {
    return base + "delayed";
  }

  String active() {
    return base + "active";
  }

  String blocked() {
    return base + "blocked";
  }

  String failed() {
    return base + "failed";
  }

  String completed() {
    return base + "completed";
  }

  String cancelled() {
    return base + "cancelled";
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
    return base + "meta";
  }

  String stats() {
    return base + "stats";
  }

  String rate() {
    return base + "rate";
  }

  String waitSamples() {
    return base + "wait_ms";
  }

  String runSamples() {
    return base + "run_ms";
  }

  String wake() {
    return base + "wake";
  }

  /** The lifecycle events of the queue's jobs, a capped stream. */
  String events() {
    return base + "events";
  }

  /** Uniqueness keys (JobRequest.unique) to the id of the job that took each. */
  String unique() {
    return base + "unique";
  }

  /** Uniqueness keys by the end of their window (ms). */
  String uniqueUntil() {
    return base + "unique_until";
  }

  /** Recurring jobs: schedule name to its definition (JSON). */
  String schedules() {
    return base + "schedules";
  }

  /** Schedule names by their next tick (ms). */
  String scheduleNext() {
    return base + "schedule_next";
  }

  /** Limits: scope ("queue" or "type:<type>") to "max running,max started,per ms". */
  String limits() {
    return base + "limits";
  }

  /** What the claim script keeps about limits: start windows, when a scope last held jobs back. */
  String limitState() {
    return base + "limit_state";
  }

  /** The KEYS of every script, in the order lib.lua names them. */
  List<byte[]> scriptKeys() {
    return scriptKeys;
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
