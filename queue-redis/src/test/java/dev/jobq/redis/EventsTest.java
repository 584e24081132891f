package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.EventCursor;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent.Type;
import dev.jobq.JobEvent;
import dev.jobq.JobFailedException;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Job claimOne() {
    return f.broker.claim("default", "w1", 1, LEASE).get(0);
  }

  private List<Type> typesOf(String id) {
    return f.client.recentEvents("default", 1000).stream()
        .filter(e -> e.jobId().equals(id)).map(JobEvent::type).toList();
  }

  @Test
  void everyStepOfARetriedJobIsAnEventInOrderWithItsDetails() {
    String id = f.client.enqueue(job("a").maxAttempts(3).build()).jobId();
    Job first = claimOne();
    f.broker.progress("default", id, first.token(), "{\"done\":1}");
    f.broker.fail("default", id, first.token(), Failure.of("E", "boom"), Duration.ofSeconds(5));
    f.clock.advance(Duration.ofSeconds(5));
    Job second = claimOne();
    f.broker.complete("default", id, second.token(), "42");

    List<JobEvent> events = f.client.recentEvents("default", 100);
    assertThat(events).extracting(JobEvent::type).containsExactly(Type.ENQUEUED, Type.STARTED,
        Type.PROGRESS, Type.FAILED, Type.RETRYING, Type.STARTED, Type.COMPLETED);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.jobId()).isEqualTo(id);
      assertThat(e.queue()).isEqualTo("default");
    });
    assertThat(events.get(0).details()).containsEntry("status", "WAITING");
    assertThat(events.get(1).details()).containsEntry("attempt", "1").containsEntry("worker", "w1");
    assertThat(events.get(2).details()).containsEntry("progress", "{\"done\":1}");
    assertThat(events.get(3).details()).containsEntry("error", "E: boom");
    assertThat(events.get(4).details())
        .containsEntry("run_at", Long.toString(Fixture.START.plusSeconds(5).toEpochMilli()));
    assertThat(events.get(5).details()).containsEntry("attempt", "2");
    assertThat(events.get(6).at()).isEqualTo(Fixture.START.plusSeconds(5));
  }

  @Test
  void aLostLeaseIsStalledThenDeadLetteredWhenNoAttemptIsLeft() {
    String id = f.client.enqueue(job("a").maxAttempts(1).build()).jobId();
    claimOne();
    f.clock.advance(LEASE.plusSeconds(1));
    f.broker.reapExpired("default", new RetryPolicy(1, Backoff.fixed(Duration.ofSeconds(1))), 10);

    assertThat(typesOf(id)).containsExactly(
        Type.ENQUEUED, Type.STARTED, Type.STALLED, Type.DEAD_LETTERED);
    f.client.retryFailed("default", List.of(id));
    assertThat(typesOf(id)).endsWith(Type.DEAD_LETTERED, Type.REQUEUED);
  }

  @Test
  void releaseAndCancelAreEvents() {
    String released = f.client.enqueue(job("a").build()).jobId();
    Job j = claimOne();
    f.broker.release("default", released, j.token());
    String cancelled = f.client.enqueue(job("b").delay(Duration.ofMinutes(1)).build()).jobId();
    f.client.cancel("default", cancelled);

    assertThat(typesOf(released)).containsExactly(Type.ENQUEUED, Type.STARTED, Type.RELEASED);
    assertThat(typesOf(cancelled)).containsExactly(Type.ENQUEUED, Type.CANCELLED);
    assertThat(f.client.recentEvents("default", 10).get(3).details())
        .containsEntry("status", "DELAYED");
  }

  @Test
  void aChildIsReadyWhenItsParentCompletesAndCancelledNamingAParentThatFailed() {
    f.client.enqueueGraph(List.of(job("p").id("p").build(), job("q").id("q").maxAttempts(1).build(),
        job("c").id("c").dependsOn("p").build(), job("d").id("d").dependsOn("q").build()));
    Job p = claimOne();
    f.broker.complete("default", "p", p.token(), null);
    Job q = claimOne();
    f.broker.fail("default", "q", q.token(), Failure.of("E", "no"), null);

    assertThat(typesOf("c")).containsExactly(Type.ENQUEUED, Type.READY);
    assertThat(typesOf("d")).containsExactly(Type.ENQUEUED, Type.CANCELLED);
    JobEvent cancelled = f.client.recentEvents("default", 1).get(0);
    assertThat(cancelled.details()).containsEntry("error", "parent q ended FAILED");
  }

  @Test
  void aCursorWaitsForTheNextEventAndResumesWhereItStopped() throws Exception {
    f.client.enqueue(job("before").build());
    EventCursor cursor = f.client.followEvents(List.of("default", "other"));
    assertThat(cursor.next(Duration.ofMillis(50))).isEmpty();

    CompletableFuture<List<JobEvent>> next = CompletableFuture.supplyAsync(() -> {
      try {
        return cursor.next(Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    String id = f.client.enqueue(job("after").queue("other").build()).jobId();
    assertThat(next.get()).singleElement().satisfies(e -> {
      assertThat(e.jobId()).isEqualTo(id);
      assertThat(e.queue()).isEqualTo("other");
    });
    String later = f.client.enqueue(job("later").build()).jobId();
    EventCursor resumed = f.client.followEvents(cursor.positions());
    assertThat(resumed.next(Duration.ofSeconds(5))).extracting(JobEvent::jobId).containsExactly(later);
  }

  @Test
  void anEntryOfATypeThisVersionDoesNotKnowIsReadAsUnknownAndPassed() throws Exception {
    EventCursor cursor = f.client.followEvents(List.of("default"));
    f.jedis.xadd(f.prefix + ":{default}:events", redis.clients.jedis.StreamEntryID.NEW_ENTRY,
        java.util.Map.of("job", "j1", "event", "teleported", "at", "5"));
    String id = f.client.enqueue(job("a").build()).jobId();

    List<JobEvent> events = cursor.next(Duration.ofSeconds(5));
    assertThat(events).extracting(JobEvent::type).containsExactly(Type.UNKNOWN, Type.ENQUEUED);
    assertThat(events.get(0).details()).containsEntry("event", "teleported");
    assertThat(events.get(1).jobId()).isEqualTo(id);
    assertThat(cursor.next(Duration.ofMillis(50))).as("moved past both").isEmpty();
  }

  @Test
  void aListenerGetsEveryEventOnItsOwnThreadUntilClosed() {
    List<JobEvent> seen = new CopyOnWriteArrayList<>();
    try (JobClient.Subscription s = f.client.listen(List.of("default"), seen::add)) {
      for (int i = 0; i < 20; i++) {
        f.client.enqueue(job("a").id("j" + i).build());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 20);
    }
    assertThat(seen).extracting(JobEvent::jobId).startsWith("j0", "j1").endsWith("j19");
  }

  @Test
  void theStreamIsCappedAndCanBeTurnedOff() {
    f.broker.tools().setEventsKept("default", 10);
    for (int i = 0; i < 30; i++) {
      f.client.enqueueAll(java.util.stream.IntStream.range(0, 100)
          .mapToObj(n -> job("a").build()).toList());
    }
    // trimming is approximate (whole stream nodes of 100 entries), never unbounded
    assertThat(f.jedis.xlen(f.prefix + ":{default}:events")).isLessThan(300);

    f.broker.tools().setEventsKept("quiet", 0);
    f.client.enqueue(job("a").queue("quiet").build());
    assertThat(f.broker.eventsTail("quiet")).isEqualTo("0-0");
  }

  @Test
  void awaitResultReturnsTheResultOnceAnotherWorkerCompletesTheJob() throws Exception {
    String id = f.client.enqueue(job("a").build()).jobId();
    CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> {
      try {
        return f.client.awaitResult(id, Integer.class, Duration.ofSeconds(20));
      } catch (InterruptedException | TimeoutException e) {
        throw new IllegalStateException(e);
      }
    });
    Job j = claimOne();
    f.broker.complete("default", id, j.token(), "42");

    assertThat(result.get()).isEqualTo(42);
    assertThat(f.client.awaitResult(id, Integer.class, Duration.ZERO)).as("already ended").isEqualTo(42);
    assertThat(f.client.awaitResult(id, Duration.ZERO)).isEqualTo("42");
  }

  @Test
  void manyWaitingCallersLeaveConnectionsForEveryoneElse() throws Exception {
    // a pool of 4: at most 2 blocking readers, however many callers wait
    try (RedisBroker small = RedisBroker.connect(RedisConfig.builder().url(f.redis.url())
        .prefix(f.prefix).clock(f.clock).poolSize(4).build())) {
      dev.jobq.JobClient client = dev.jobq.JobClient.create(small);
      String id = client.enqueue(job("slow").build()).jobId();
      List<CompletableFuture<Job>> waiting = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        waiting.add(CompletableFuture.supplyAsync(() -> {
          try {
            return client.await(id, Duration.ofSeconds(30));
          } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> f.jedis.clientList().lines()
          .filter(l -> l.contains("cmd=xread")).count() == 2);
      // the other calls still get a connection at once
      Job j = small.claim("default", "w", 1, LEASE).get(0);
      assertThat(small.complete("default", id, j.token(), "1")).isTrue();
      for (CompletableFuture<Job> w : waiting) {
        assertThat(w.get().status()).isEqualTo(JobStatus.COMPLETED);
      }
    }
  }

  @Test
  void awaitResultThrowsTheFailureOfADeadLetteredJobAndTimesOutOnAWaitingOne() {
    String id = f.client.enqueue(job("a").maxAttempts(1).build()).jobId();
    Job j = claimOne();
    f.broker.fail("default", id, j.token(), Failure.of("java.io.IOException", "disk full"), null);
    String waiting = f.client.enqueue(job("b").build()).jobId();

    assertThatThrownBy(() -> f.client.awaitResult(id, String.class, Duration.ofSeconds(5)))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("ended FAILED: java.io.IOException: disk full")
        .extracting(e -> ((JobFailedException) e).job().status()).isEqualTo(JobStatus.FAILED);
    assertThatThrownBy(() -> f.client.await(waiting, Duration.ofMillis(200)))
        .isInstanceOf(TimeoutException.class).hasMessageContaining("still WAITING");
    assertThatThrownBy(() -> f.client.await("nope", Duration.ofSeconds(1)))
        .hasMessageContaining("no job with id 'nope'");
  }
}
