package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UniqueJobsTest {
  static final Duration WINDOW = Duration.ofMinutes(10);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private JobRequest report() {
    return job("report").unique("report:acme", WINDOW).build();
  }

  @Test
  void aDuplicateWithinTheWindowIsAnsweredWithTheFirstJobAndWritesNothing() {
    EnqueueResult first = f.client.enqueue(report());
    f.client.enqueue(job("other").build());
    EnqueueResult again = f.client.enqueue(report());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.jobId()).isEqualTo(first.jobId());
    assertThat(again.status()).isEqualTo(JobStatus.WAITING);
    assertThat(again.position()).isZero();
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(2);
  }

  @Test
  void aChildOfADuplicateInTheSameBatchWaitsForTheJobThatHoldsTheKey() {
    String holder = f.client.enqueue(report()).jobId();

    List<EnqueueResult> r = f.client.enqueueAll(List.of(
        job("report").id("p").unique("report:acme", WINDOW).build(),
        job("mail").id("c").dependsOn("p").build()));

    assertThat(r.get(0).jobId()).isEqualTo(holder);
    assertThat(r.get(1).status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(f.storedIds("default")).doesNotContain("p");
    assertThat(f.client.require("default", "c").dependsOn()).containsExactly(holder);
    Job j = f.broker.claim("default", "w", 1, Duration.ofMinutes(1)).get(0);
    f.broker.complete("default", holder, j.token(), null);
    assertThat(f.client.require("default", "c").status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void theWindowHoldsAfterTheFirstJobCompletedAndEndsOnTime() {
    String first = f.client.enqueue(report()).jobId();
    Job j = f.broker.claim("default", "w", 1, Duration.ofMinutes(1)).get(0);
    f.broker.complete("default", first, j.token(), null);
    f.clock.advance(WINDOW.minusSeconds(1));

    EnqueueResult during = f.client.enqueue(report());
    f.clock.advance(Duration.ofSeconds(1));
    EnqueueResult after = f.client.enqueue(report());

    assertThat(during.created()).isFalse();
    assertThat(during.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(after.created()).isTrue();
    assertThat(after.jobId()).isNotEqualTo(first);
    assertThat(f.jedis.hget(f.prefix + ":{default}:unique", "report:acme")).isEqualTo(after.jobId());
  }

  @Test
  void aClearedFirstJobFreesItsKeyAndOtherQueuesAndKeysAreIndependent() {
    f.client.enqueue(report());
    f.client.clear("default", false);

    assertThat(f.client.enqueue(report()).created()).isTrue();
    assertThat(f.client.enqueue(job("report").queue("eu").unique("report:acme", WINDOW).build())
        .created()).isTrue();
    assertThat(f.client.enqueue(job("report").unique("report:globex", WINDOW).build()).created())
        .isTrue();
  }

  @Test
  void oneJobOfABatchOfDuplicates() {
    List<EnqueueResult> results = f.client.enqueueAll(List.of(report(), report(), report()));

    assertThat(results).extracting(EnqueueResult::created).containsExactly(true, false, false);
    assertThat(results).extracting(EnqueueResult::jobId).containsOnly(results.get(0).jobId());
    assertThat(f.broker.stats("default").waitingTotal()).isEqualTo(1);
  }

  @Test
  void manyProducersAtOnceCreateOneJob() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<EnqueueResult>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(() -> f.client.enqueue(report()));
      }
      List<EnqueueResult> results = new ArrayList<>();
      for (Future<EnqueueResult> r : pool.invokeAll(calls)) {
        results.add(r.get());
      }
      assertThat(results).filteredOn(EnqueueResult::created).hasSize(1);
      assertThat(results).extracting(EnqueueResult::jobId).containsOnly(
          results.stream().filter(EnqueueResult::created).findFirst().orElseThrow().jobId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBadKeyOrWindowIsRefusedNamingIt() {
    assertThatThrownBy(() -> job("a").unique("has space", WINDOW).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("'has space'");
    assertThatThrownBy(() -> job("a").unique("k", Duration.ZERO).build())
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("window PT0S");
    assertThatThrownBy(() -> job("a").unique("k", Duration.ofDays(31)).build())
        .hasMessageContaining("30 days");
  }

  @Test
  void endedWindowsAreForgottenAsFastAsBatchesAddThem() {
    Keys k = new Keys(f.prefix, "default");
    for (int b = 0; b < 8; b++) {
      List<JobRequest> batch = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        batch.add(job("a").unique("k-" + b + "-" + i, Duration.ofMillis(1)).build());
      }
      f.client.enqueueAll(batch);
      f.clock.advance(Duration.ofSeconds(1));

      // the windows of earlier batches have ended: each enqueue forgets them all
      assertThat(f.jedis.zcard(k.uniqueUntil())).as("windows after batch %d", b).isEqualTo(300);
      assertThat(f.jedis.hlen(k.unique())).as("keys after batch %d", b).isEqualTo(300);
    }
  }

  @Test
  void expireForgetsEndedWindowsOfAQueueThatStoppedTakingUniqueJobs() {
    Keys k = new Keys(f.prefix, "default");
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      batch.add(job("a").unique("k-" + i, Duration.ofMillis(1)).build());
    }
    f.client.enqueueAll(batch);
    f.clock.advance(Duration.ofSeconds(1));

    f.broker.expireFinished("default");
    assertThat(f.jedis.zcard(k.uniqueUntil())).isEqualTo(500);
    f.broker.expireFinished("default");

    assertThat(f.jedis.zcard(k.uniqueUntil())).isZero();
    assertThat(f.jedis.hlen(k.unique())).isZero();
  }
}
