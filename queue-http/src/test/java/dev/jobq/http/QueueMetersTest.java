package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.JobRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue meters over a real Redis, read without HTTP: what a refresh reads, and when. */
class QueueMetersTest extends ApiTestBase {

  @Test
  void refreshesCloserThanTheMaximumAgeShareOneReading() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    QueueMeters meters = new QueueMeters(broker, Duration.ofHours(1));
    meters.bindTo(registry);
    enqueue();
    meters.refresh();

    enqueue();
    meters.refresh();

    assertThat(waiting(registry)).as("the first reading, kept for an hour").isEqualTo(1.0);
    assertThat(registry.get("jobq.queue.enqueued").tag("queue", "mail").functionCounter()
        .count()).isEqualTo(1.0);
  }

  @Test
  void aReadingOlderThanTheMaximumAgeIsReadAgain() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    QueueMeters meters = new QueueMeters(broker, Duration.ZERO);
    meters.bindTo(registry);
    enqueue();
    meters.refresh();

    enqueue();
    meters.refresh();

    assertThat(waiting(registry)).isEqualTo(2.0);
    assertThat(registry.get("jobq.queue.enqueued").tag("queue", "mail").functionCounter()
        .count()).isEqualTo(2.0);
  }

  @Test
  void refreshingUnboundMetersIsRefused() {
    assertThatThrownBy(() -> new QueueMeters(broker, Duration.ZERO).refresh())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bind the meters");
  }

  private void enqueue() {
    client.enqueue(JobRequest.builder("jobq.noop").queue("mail").build());
  }

  private static double waiting(SimpleMeterRegistry registry) {
    return registry.get("jobq.queue.jobs")
        .tags("queue", "mail", "status", "waiting", "priority", "normal").gauge().value();
  }
}
