package dev.jobq.redis;

/**
 * The keys of one queue, in the order every script gets them as KEYS: {@link Keys} sends them
 * in this order, and {@link LuaPrelude} names them for the scripts (a local per key, named as
 * the constant) and lists their names for lib.lua's check_keys. Adding a key here is the whole
 * change to the code's key list (docs/PROTOCOL.md lists them too: ProtocolKeysDocTest compares);
 * the order is the protocol. Keys added go last, so that the keys before them keep their
 * places for clients of earlier versions.
 */
enum QueueKey {
  /** Job id to the job, a MessagePack map (see PROTOCOL.md). */
  JOBS("jobs"),
  /** Ids ready to run, a list per priority level, oldest at the head. */
  WAIT_0("wait:0"),
  WAIT_1("wait:1"),
  WAIT_2("wait:2"),
  WAIT_3("wait:3"),
  /** Ids by due time. */
  DELAYED("delayed"),
  /** Ids by lease deadline. */
  ACTIVE("active"),
  BLOCKED("blocked"),
  /** Finished ids by finish time, one sorted set per end. */
  FAILED("failed"),
  COMPLETED("completed"),
  CANCELLED("cancelled"),
  /** paused, max_depth, events_kept. */
  META("meta"),
  STATS("stats"),
  /** Completions and failures per minute, a ring of slots. */
  RATE("rate"),
  /** The latest wait and run times (ms). */
  WAIT_MS("wait_ms"),
  RUN_MS("run_ms"),
  /** The wake-up marker idle workers block on. */
  WAKE("wake"),
  /** The lifecycle stream, capped. */
  EVENTS("events"),
  /** Uniqueness key to the id of the job that took it. */
  UNIQUE("unique"),
  /** Uniqueness keys by the end of their window (ms). */
  UNIQUE_UNTIL("unique_until"),
  /** Recurring jobs: schedule name to its definition (JSON). */
  SCHEDULES("schedules"),
  /** Schedule names by their next tick (ms). */
  SCHEDULE_NEXT("schedule_next"),
  /** Scope ("queue" or "type:<type>") to "max running,max started,per ms". */
  LIMITS("limits"),
  /** What claim keeps about limits: start windows, when a scope last held jobs back. */
  LIMIT_STATE("limit_state"),
  /**
   * Failed id to "finished_at\nfirst line of error\nerror_class": what grouping dead letters
   * reads.
   */
  FAILED_ERRORS("failed_errors"),
  /** Schedule name to its last firing (JSON: at, job, created, triggered). */
  SCHEDULE_LAST("schedule_last");

  /** The name after the queue's base, {@code <prefix>:{<queue>}:}. */
  final String suffix;

  QueueKey(String suffix) {
    this.suffix = suffix;
  }

  /** The wait list of a priority level, 0 (CRITICAL) .. 3 (LOW). */
  static QueueKey waiting(int level) {
    return switch (level) {
      case 0 -> WAIT_0;
      case 1 -> WAIT_1;
      case 2 -> WAIT_2;
      case 3 -> WAIT_3;
      default -> throw new IllegalArgumentException(
          "priority level " + level + " is out of range: use 0 (CRITICAL) .. 3 (LOW)");
    };
  }

  /** Its place in KEYS, from 1 as Lua counts. */
  int luaIndex() {
    return ordinal() + 1;
  }
}
