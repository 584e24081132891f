package dev.jobq;

import java.time.Instant;
import java.util.List;

/** A worker process as its heartbeat describes it. */
public record WorkerInfo(
    String id,
    String host,
    long pid,
    List<String> queues,
    int concurrency,
    int busy,
    long processed,
    long failed,
    Instant startedAt,
    Instant lastHeartbeat) {}
