package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobEvent.Type;
import dev.jobq.JobEvent;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Every transition is an event of its queue, in order: {@code recentEvents}, {@code eventsTail}
 * and {@code readEvents} after a position, which waits up to {@code maxWait} for the next.
 */
public interface EventContract extends BrokerUnderTest {

  private List<Type> typesOf(String id) {
    return broker().recentEvents(QUEUE, 1000).stream()
        .filter(e -> e.jobId().equals(id)).map(JobEvent::type).toList();
  }

  private List<JobEvent> readAfter(String position, Duration maxWait) {
    try {
      return broker().readEvents(Map.of(QUEUE, position), 100, maxWait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  @Test
  default void everyStepOfARetriedJobIsAnEventInOrderWithItsDetails() {
    enqueue(job("t").id("a").maxAttempts(3));
    Job first = claimed("a");
    broker().progress(QUEUE, "a", first.token(), "{\"done\":1}");
    broker().fail(QUEUE, "a", first.token(), Failure.of("E", "boom"), Duration.ofSeconds(5));
    advance(Duration.ofSeconds(5));
    Job second = claimed("a");
    broker().complete(QUEUE, "a", second.token(), "42");

    List<JobEvent> events = broker().recentEvents(QUEUE, 100);

    assertThat(events).extracting(JobEvent::type).containsExactly(Type.ENQUEUED, Type.STARTED,
        Type.PROGRESS, Type.FAILED, Type.RETRYING, Type.STARTED, Type.COMPLETED);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.jobId()).isEqualTo("a");
      assertThat(e.queue()).isEqualTo(QUEUE);
    });
    assertThat(events.get(0).details()).containsEntry("status", "WAITING");
    assertThat(events.get(1).details()).containsEntry("attempt", "1")
        .containsEntry("worker", WORKER);
    assertThat(events.get(2).details()).containsEntry("progress", "{\"done\":1}");
    assertThat(events.get(3).details()).containsEntry("attempt", "1").containsKey("error");
    assertThat(events.get(4).details())
        .containsEntry("run_at", Long.toString(START.plusSeconds(5).toEpochMilli()));
    assertThat(events.get(5).details()).containsEntry("attempt", "2");
    assertThat(events.get(0).at()).isEqualTo(START);
    assertThat(events.get(6).at()).isEqualTo(START.plusSeconds(5));
  }

  @Test
  default void aLostLeaseIsStalledThenDeadLetteredAndARetryIsRequeued() {
    enqueue(job("t").id("a").maxAttempts(1));
    claimed("a");
    advance(LEASE.plusSeconds(1));
    broker().reapExpired(QUEUE, new RetryPolicy(1, Backoff.fixed(Duration.ofSeconds(1))), 10);

    assertThat(typesOf("a"))
        .containsExactly(Type.ENQUEUED, Type.STARTED, Type.STALLED, Type.DEAD_LETTERED);
    broker().retryFailed(QUEUE, List.of("a"));
    assertThat(typesOf("a")).endsWith(Type.DEAD_LETTERED, Type.REQUEUED);
  }

  @Test
  default void releaseAndCancelAreEvents() {
    enqueued("released");
    Job j = claimed("released");
    broker().release(QUEUE, "released", j.token());
    enqueue(job("t").id("cancelled").delay(Duration.ofMinutes(1)));
    client().cancel(QUEUE, "cancelled");

    assertThat(typesOf("released")).containsExactly(Type.ENQUEUED, Type.STARTED, Type.RELEASED);
    assertThat(typesOf("cancelled")).containsExactly(Type.ENQUEUED, Type.CANCELLED);
    assertThat(broker().recentEvents(QUEUE, 2).get(0).details()).containsEntry("status", "DELAYED");
  }

  @Test
  default void aChildIsReadyWhenItsParentCompletesAndCancelledNamingAFailedOne() {
    client().enqueueGraph(List.of(job("t").id("p").build(), job("t").id("q").maxAttempts(1).build(),
        job("t").id("c").dependsOn("p").build(), job("t").id("d").dependsOn("q").build()));
    broker().complete(QUEUE, "p", claimed("p").token(), null);
    broker().fail(QUEUE, "q", claimed("q").token(), Failure.of("E", "no"), null);

    assertThat(typesOf("c")).containsExactly(Type.ENQUEUED, Type.READY);
    assertThat(typesOf("d")).containsExactly(Type.ENQUEUED, Type.CANCELLED);
    JobEvent cancelled = broker().recentEvents(QUEUE, 100).stream()
        .filter(e -> e.jobId().equals("d") && e.type() == Type.CANCELLED).findFirst().orElseThrow();
    assertThat(cancelled.details()).containsEntry("error", "parent q ended FAILED");
  }

  @Test
  default void recentEventsAreTheNewestOldestFirst() {
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }

    assertThat(broker().recentEvents(QUEUE, 3)).extracting(JobEvent::jobId)
        .containsExactly("j2", "j3", "j4");
    assertThat(broker().recentEvents("never-used", 3)).isEmpty();
  }

  @Test
  default void theTailOfAQueueWithoutEventsIsTheStart() {
    assertThat(broker().eventsTail("never-used")).isEqualTo("0-0");
  }

  @Test
  default void readingAfterTheTailSeesOnlyWhatHappensNext() {
    enqueued("before");
    String tail = broker().eventsTail(QUEUE);

    assertThat(readAfter(tail, Duration.ofMillis(50))).as("nothing new yet").isEmpty();
    enqueued("after");

    List<JobEvent> next = readAfter(tail, Duration.ofSeconds(5));
    assertThat(next).extracting(JobEvent::jobId).containsExactly("after");
    assertThat(readAfter(next.get(0).position(), Duration.ofMillis(50))).isEmpty();
    assertThat(readAfter("0-0", Duration.ofMillis(50))).extracting(JobEvent::jobId)
        .containsExactly("before", "after");
  }

  @Test
  default void aReaderWaitsForTheNextEventOfAnyOfItsQueues() throws Exception {
    Map<String, String> after = Map.of(QUEUE, broker().eventsTail(QUEUE),
        "other", broker().eventsTail("other"));
    CompletableFuture<List<JobEvent>> reader = CompletableFuture.supplyAsync(() -> {
      try {
        return broker().readEvents(after, 10, Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new CompletionException(e);
      }
    });

    enqueue(job("t").id("x").queue("other"));

    assertThat(reader.get()).singleElement().satisfies(e -> {
      assertThat(e.jobId()).isEqualTo("x");
      assertThat(e.queue()).isEqualTo("other");
      assertThat(e.type()).isEqualTo(Type.ENQUEUED);
    });
  }

  @Test
  default void readEventsTakesAtMostTheAskedNumberInOrder() throws Exception {
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }

    List<JobEvent> first = broker().readEvents(Map.of(QUEUE, "0-0"), 2, Duration.ofSeconds(1));
    List<JobEvent> rest = broker().readEvents(
        Map.of(QUEUE, first.get(1).position()), 10, Duration.ofSeconds(1));

    assertThat(first).extracting(JobEvent::jobId).containsExactly("j0", "j1");
    assertThat(rest).extracting(JobEvent::jobId).containsExactly("j2", "j3", "j4");
  }

  @Test
  default void eventsAfterAPositionArePagedWithoutWaiting() {
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }

    List<JobEvent> first = broker().eventsAfter(QUEUE, "0-0", 2);
    List<JobEvent> rest = broker().eventsAfter(QUEUE, first.get(1).position(), 10);

    assertThat(first).extracting(JobEvent::jobId).containsExactly("j0", "j1");
    assertThat(rest).extracting(JobEvent::jobId).containsExactly("j2", "j3", "j4");
    assertThat(broker().eventsAfter(QUEUE, rest.get(2).position(), 10)).isEmpty();
    assertThat(broker().eventsAfter("never-used", "0-0", 10)).isEmpty();
  }

  @Test
  default void eventsBeforeAPositionArePagedBackFromTheEnd() {
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }

    List<JobEvent> newest = broker().eventsBefore(QUEUE, "+", 2);
    List<JobEvent> older = broker().eventsBefore(QUEUE, newest.get(1).position(), 10);

    assertThat(newest).extracting(JobEvent::jobId).containsExactly("j4", "j3");
    assertThat(older).extracting(JobEvent::jobId).containsExactly("j2", "j1", "j0");
    assertThat(broker().eventsBefore(QUEUE, older.get(2).position(), 10)).isEmpty();
    assertThat(broker().eventsBefore(QUEUE, "+", 0)).isEmpty();
    assertThat(broker().eventsBefore("never-used", "+", 10)).isEmpty();
  }

  @Test
  default void aPositionBeforeAnInstantMissesNoLaterEvent() {
    enqueued("old");
    advance(Duration.ofHours(1));
    enqueued("new");
    broker().complete(QUEUE, "old", claimed("old").token(), null);
    Job created = stored("new");

    String before = broker().eventsPositionBefore(QUEUE, created.createdAt());

    // a broker may start a little early (Redis: by its own clock), never late
    assertThat(broker().eventsAfter(QUEUE, before, 100)).extracting(JobEvent::jobId)
        .endsWith("new", "old", "old");
    assertThat(broker().eventsAfter(QUEUE,
        broker().eventsPositionBefore(QUEUE, created.createdAt().plus(Duration.ofHours(1))), 100))
        .as("after every event").isEmpty();
    assertThat(broker().eventsPositionBefore("never-used", START)).isEqualTo("0-0");
  }
}
