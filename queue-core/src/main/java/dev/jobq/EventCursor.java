package dev.jobq;

import dev.jobq.spi.Broker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the event streams of some queues: each {@link #next} returns what happened since the
 * last one. Events stay in Redis (capped), so a reader that falls behind or loses Redis for a
 * while misses nothing unless it falls behind by more than the cap. Not thread-safe.
 *
 * <pre>{@code
 * EventCursor events = client.followEvents(List.of("emails"));
 * while (running) {
 *   for (JobEvent e : events.next(Duration.ofSeconds(5))) {
 *     log.info("{} {}", e.jobId(), e.type().label());
 *   }
 * }
 * }</pre>
 */
public final class EventCursor {
  /** The most events one call returns. */
  static final int BATCH = 1_000;

  private final Broker broker;
  private final Map<String, String> positions;

  EventCursor(Broker broker, Map<String, String> positions) {
    this.broker = broker;
    this.positions = new LinkedHashMap<>(positions);
  }

  /** Waits up to {@code maxWait} for events; empty when none came. */
  public List<JobEvent> next(Duration maxWait) throws InterruptedException {
    List<JobEvent> events = broker.readEvents(positions, BATCH, maxWait);
    for (JobEvent e : events) {
      positions.put(e.queue(), e.position());
    }
    return events;
  }

  /** Where each queue's stream was read up to: a new cursor given these resumes here. */
  public Map<String, String> positions() {
    return Map.copyOf(positions);
  }
}
