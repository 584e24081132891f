package dev.jobq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the broker holds it. Instants are the broker's clock; a field that does not apply yet
 * is null (a waiting job has no {@code startedAt}), numbers are zero.
 *
 * @param token the lease token: it grows with every claim, also across a job that took a finished
 *     one's id and across a Redis restart (Redis's clock in ms, or one more than the last token),
 *     so a worker holding an older token cannot finish the job (fencing)
 * @param backoff null when the worker's default applies
 * @param timeout null when the worker's default applies
 * @param error the message of the last failed attempt, with {@code errorClass} and {@code stack}
 * @param result the handler's return value as JSON, once completed
 * @param progress the last progress report as JSON: {@code {"done":3,"total":10,"message":"…"}}
 * @param children the jobs that waited for this one (enqueued with it as a parent before it
 *     ended; one enqueued after is settled at once and not listed): those it has settled (at
 *     most {@link #MAX_CHILDREN_KEPT}, kept after it ended) and those still waiting for it
 * @param escalatedTo {@code queue/id} of the job this one was escalated to, or null
 * @param headers what the producer (or its middleware) attached besides the payload, such as a
 *     trace id
 */
public record Job(
    String id,
    String queue,
    String type,
    String payload,
    Priority priority,
    JobStatus status,
    int attempt,
    int maxAttempts,
    Backoff backoff,
    Duration timeout,
    Instant createdAt,
    Instant enqueuedAt,
    Instant runAt,
    Instant startedAt,
    Instant finishedAt,
    String worker,
    long token,
    String errorClass,
    String error,
    String stack,
    String result,
    String progress,
    List<String> dependsOn,
    List<String> children,
    Map<String, String> headers,
    String escalatedTo) {

  public Job {
    dependsOn = List.copyOf(dependsOn);
    children = List.copyOf(children);
    headers = Map.copyOf(headers);
  }

  /** How many children a parent keeps after it settled them (the first ones). */
  public static final int MAX_CHILDREN_KEPT = 100;

  public <T> T payloadAs(Class<T> type) {
    return Json.decode(payload, type);
  }

  public JsonNode payloadTree() {
    return Json.tree(payload);
  }

  public boolean hasAttemptsLeft() {
    return attempt < maxAttempts;
  }
}
