package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnqueueTest {
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void enqueueAnswersIdPositionAndStoresTheWholeJob() {
    f.client.enqueue(job("a").build());
    EnqueueResult r = f.client.enqueue(job("email.send").payload("{\"to\":\"ada\"}")
        .priority(Priority.LOW).maxAttempts(7).timeout(Duration.ofSeconds(30)).build());

    assertThat(r.created()).isTrue();
    assertThat(r.status()).isEqualTo(JobStatus.WAITING);
    assertThat(r.position()).isEqualTo(1);
    Job job = f.client.require("default", r.jobId());
    assertThat(job.type()).isEqualTo("email.send");
    assertThat(job.payloadTree().get("to").asText()).isEqualTo("ada");
    assertThat(job.priority()).isEqualTo(Priority.LOW);
    assertThat(job.maxAttempts()).isEqualTo(7);
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(job.attempt()).isZero();
    assertThat(job.createdAt()).isEqualTo(Fixture.START);
  }

  @Test
  void aWaitingJobHoldsNoFieldItCanDoWithout() {
    String id = f.client.enqueue(job("a").build()).jobId();

    assertThat(f.stored("default", id)).containsOnlyKeys(
        "type", "payload", "pri", "max_attempts", "created_at", "status");
    Job job = f.client.require("default", id);
    assertThat(job.id()).isEqualTo(id);
    assertThat(job.attempt()).isZero();
    assertThat(job.token()).isZero();
    assertThat(job.enqueuedAt()).isEqualTo(Fixture.START);

    f.clock.advance(Duration.ofSeconds(3));
    Job claimed = f.broker.claim("default", "w", 1, Duration.ofSeconds(30)).get(0);
    assertThat(claimed.id()).isEqualTo(id);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.token()).isPositive();
    assertThat(f.broker.stats("default").waitTime().p50()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void positionCountsEveryJobOfHigherPriorityFirst() {
    f.client.enqueue(job("a").priority(Priority.NORMAL).build());
    f.client.enqueue(job("b").priority(Priority.NORMAL).build());
    EnqueueResult critical = f.client.enqueue(job("c").priority(Priority.CRITICAL).build());
    EnqueueResult low = f.client.enqueue(job("d").priority(Priority.LOW).build());

    assertThat(critical.position()).isZero();
    assertThat(low.position()).isEqualTo(3);
  }

  @Test
  void estimatedWaitFollowsRecentThroughput() {
    assertThat(f.client.enqueue(job("a").build()).estimatedWait()).isNull();
    for (int i = 0; i < 10; i++) {
      Job j = f.broker.claim("default", "w", 1, Duration.ofSeconds(30)).get(0);
      f.broker.complete("default", j.id(), j.token(), null);
      f.client.enqueue(job("a").build());
    }
    // 10 completions in five minutes = 2 per minute; the job with 10 ahead waits ~5 minutes
    for (int i = 0; i < 9; i++) {
      f.client.enqueue(job("a").build());
    }
    EnqueueResult r = f.client.enqueue(job("a").build());
    assertThat(r.position()).isEqualTo(10);
    assertThat(r.estimatedWait()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void batchIsOneScriptCallAndAnswersEachJobInOrder() {
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      batch.add(job("t" + i).priority(i % 2 == 0 ? Priority.HIGH : Priority.NORMAL).build());
    }
    long before = evalshaCalls();
    List<EnqueueResult> results = f.client.enqueueAll(batch);

    assertThat(evalshaCalls() - before).isEqualTo(1);
    assertThat(results).extracting(EnqueueResult::jobId)
        .containsExactlyElementsOf(batch.stream().map(JobRequest::id).toList());
    assertThat(results.get(0).position()).isZero();
    assertThat(results.get(1).position()).isEqualTo(250);
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(500);
  }

  private long evalshaCalls() {
    String info = f.jedis.info("commandstats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        return Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1"));
      }
    }
    return 0;
  }

  @Test
  void ownIdOfAnUnfinishedJobAnswersThatJobAndCreatesNoDuplicate() {
    EnqueueResult first = f.client.enqueue(job("a").id("order-42").payload("{\"v\":1}").build());
    EnqueueResult again = f.client.enqueue(job("a").id("order-42").payload("{\"v\":2}").build());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(again.position()).isZero();
    assertThat(f.client.require("default", "order-42").payload()).isEqualTo("{\"v\":1}");
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
  void resendOfAFinishedJobAnswersItAndRunsNothingAgain(JobStatus end) {
    f.client.enqueue(job("a").id("nightly").maxAttempts(1).build());
    finish("nightly", end);

    EnqueueResult again = f.client.enqueue(job("a").id("nightly").build());

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(end);
    assertThat(again.position()).isEqualTo(-1);
    assertThat(f.client.require("default", "nightly").status()).isEqualTo(end);
    assertThat(f.broker.claim("default", "w", 1, Duration.ofSeconds(30))).isEmpty();
    assertThat(f.broker.stats("default").totalEnqueued()).isEqualTo(1);
  }

  @Test
  void replaceFinishedRunsAFinishedJobsIdAgain() {
    f.client.enqueue(job("a").id("nightly").build());
    finish("nightly", JobStatus.COMPLETED);

    EnqueueResult again = f.client.enqueue(job("a").id("nightly").replaceFinished().build());

    assertThat(again.created()).isTrue();
    Job fresh = f.client.require("default", "nightly");
    assertThat(fresh.status()).isEqualTo(JobStatus.WAITING);
    assertThat(fresh.result()).isNull();
    assertThat(f.broker.claim("default", "w", 1, Duration.ofSeconds(30)))
        .extracting(Job::id).containsExactly("nightly");
  }

  @Test
  void replaceFinishedLeavesAnUnfinishedJobAsItIs() {
    f.client.enqueue(job("a").id("order-7").payload("{\"v\":1}").build());

    EnqueueResult again = f.client.enqueue(
        job("a").id("order-7").payload("{\"v\":2}").replaceFinished().build());

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(f.client.require("default", "order-7").payload()).isEqualTo("{\"v\":1}");
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(1);
  }

  /** Ends the one waiting job as {@code end}: completed, dead-lettered or cancelled. */
  private void finish(String id, JobStatus end) {
    if (end == JobStatus.CANCELLED) {
      f.client.cancel("default", id);
      return;
    }
    Job j = f.broker.claim("default", "w", 1, Duration.ofSeconds(30)).get(0);
    if (end == JobStatus.COMPLETED) {
      f.broker.complete("default", j.id(), j.token(), "1");
    } else {
      f.broker.fail("default", j.id(), j.token(), Failure.of("E", "boom"), null);
    }
  }

  @Test
  void delayedJobWaitsInTheDelayedSetUntilDue() {
    EnqueueResult r = f.client.enqueue(job("a").delay(Duration.ofMinutes(10)).build());

    assertThat(r.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(r.position()).isEqualTo(-1);
    assertThat(r.estimatedWait()).isEqualTo(Duration.ofMinutes(10));
    assertThat(f.client.require("default", r.jobId()).runAt())
        .isEqualTo(Fixture.START.plus(Duration.ofMinutes(10)));
    assertThat(f.broker.claim("default", "w", 1, Duration.ofSeconds(30))).isEmpty();

    f.clock.advance(Duration.ofMinutes(10));
    assertThat(f.broker.claim("default", "w", 1, Duration.ofSeconds(30)))
        .extracting(Job::id).containsExactly(r.jobId());
  }

  @Test
  void runAtInThePastRunsNow() {
    EnqueueResult r = f.client.enqueue(job("a").runAt(Fixture.START.minusSeconds(60)).build());
    assertThat(r.status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void rejectedRequestsWriteNothing() {
    assertThatThrownBy(() -> f.client.enqueue(job("a").payload("{not json").build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> f.client.enqueue(
            job("a").payload("\"" + "x".repeat(600 * 1024) + "\"").build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("524288");
    assertThatThrownBy(() -> job("a").queue("bad{queue}").build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("bad{queue}");
    assertThatThrownBy(() -> job("a").id("has space").build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("has space");
    assertThatThrownBy(() -> job("a").maxAttempts(0).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> job("a").delay(Duration.ofSeconds(-1)).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> Priority.parse("urgent"))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("urgent");
    List<JobRequest> batch = List.of(job("a").build(), job("b").payload("nope").build());
    assertThatThrownBy(() -> f.client.enqueueAll(batch)).isInstanceOf(InvalidJobException.class);

    assertThat(f.keys()).isEmpty();
  }

  @Test
  void payloadLimitIsConfigurable() {
    var client = dev.jobq.JobClient.create(f.broker, 16);
    assertThatThrownBy(() -> client.enqueue(job("a").payload("\"0123456789abcdef\"").build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("16");
    assertThat(client.enqueue(job("a").payload("[1,2]").build()).created()).isTrue();
  }

  @Test
  void enqueueRemembersTheQueue() {
    f.client.enqueue(job("a").queue("emails").build());
    f.client.enqueue(job("a").queue("reports").build());
    assertThat(f.broker.queues()).containsExactly("emails", "reports");
  }

  @Test
  void fullQueueRefusesEnqueueNamingItsDepthAndABatchWhole() {
    f.client.setMaxDepth("default", 3);
    f.client.enqueue(job("a").id("one").build());
    f.client.enqueue(job("a").delay(Duration.ofMinutes(1)).build());

    List<JobRequest> batch = List.of(job("b").build(), job("c").build());
    assertThatThrownBy(() -> f.client.enqueueAll(batch))
        .isInstanceOf(dev.jobq.QueueFullException.class)
        .hasMessageContaining("'default'").hasMessageContaining("2 jobs wait")
        .hasMessageContaining("maximum depth is 3");
    assertThat(f.broker.stats("default").totalEnqueued()).isEqualTo(2);
    assertThat(f.client.enqueue(job("a").id("one").build()).created()).isFalse();

    f.client.enqueue(job("d").build());
    assertThat(f.broker.stats("default").maxDepth()).isEqualTo(3);
    f.client.setMaxDepth("default", 0);
    assertThat(f.client.enqueueAll(batch)).hasSize(2);
  }
}
