package dev.jobq.spi;

import java.time.Instant;

/**
 * A failed job as grouping by error sees it: its id, error class, the first line of its error
 * message (each {@code ""} when it has none) and when it failed, without its payload, result or
 * stack trace (see {@link ClientBroker#newestFailed}).
 */
public record FailedJob(String id, String errorClass, String error, Instant finishedAt) {}
