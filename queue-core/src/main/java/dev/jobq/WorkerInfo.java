package dev.jobq;

import java.time.Instant;
import java.util.List;

/**
 * A worker process as its heartbeat describes it.
 *
 * @param state {@code running}, or {@code quiet} (told to claim nothing more)
 */
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
    Instant lastHeartbeat,
    String state) {}
