package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Backoff;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final RetryPolicy POLICY = new RetryPolicy(3, Backoff.fixed(Duration.ofSeconds(10)));
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Job claimOne(String worker) {
    return f.broker.claim("default", worker, 1, LEASE).get(0);
  }

  @Test
  void heartbeatExtendsTheLease() {
    f.client.enqueue(job("a").build());
    Job j = claimOne("w1");
    f.clock.advance(Duration.ofSeconds(25));

    assertThat(f.broker.renewLeases("default", "w1", Map.of(j.id(), j.token()), LEASE))
        .containsEntry(j.id(), LeaseState.HELD);
    f.clock.advance(Duration.ofSeconds(25));
    assertThat(f.broker.reapExpired("default", POLICY, 100)).isZero();
    assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.ACTIVE);
  }

  @Test
  void expiredLeaseIsAFailedAttemptRetriedThroughTheJobsBackoff() {
    f.client.enqueue(job("a").backoff(Backoff.fixed(Duration.ofSeconds(7))).build());
    Job j = claimOne("w1");
    f.clock.advance(LEASE.plusMillis(1));

    assertThat(f.broker.reapExpired("default", POLICY, 100)).isEqualTo(1);

    Job reaped = f.client.require("default", j.id());
    assertThat(reaped.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(reaped.errorClass()).isEqualTo("dev.jobq.LeaseExpired");
    assertThat(reaped.error()).contains("w1");
    assertThat(reaped.runAt()).isEqualTo(f.clock.instant().plusSeconds(7));
  }

  @Test
  void expiredLeaseOnTheLastAttemptDeadLetters() {
    f.client.enqueue(job("a").maxAttempts(1).build());
    Job j = claimOne("w1");
    f.clock.advance(LEASE.plusMillis(1));

    f.broker.reapExpired("default", POLICY, 100);

    assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.FAILED);
    assertThat(f.broker.stats("default").totalDeadLettered()).isEqualTo(1);
  }

  @Test
  void staleWorkerCannotFinishAJobTakenOver() {
    f.client.enqueue(job("a").backoff(Backoff.fixed(Duration.ZERO)).build());
    Job stale = claimOne("w1");
    f.clock.advance(LEASE.plusMillis(1));
    f.broker.reapExpired("default", POLICY, 100);
    Job current = claimOne("w2");

    assertThat(current.token()).isGreaterThan(stale.token());
    assertThat(f.broker.complete("default", stale.id(), stale.token(), "\"late\"")).isFalse();
    assertThat(f.broker.fail("default", stale.id(), stale.token(), Failure.of("E", "late"), null))
        .isEqualTo(FailOutcome.STALE);
    assertThat(f.broker.release("default", stale.id(), stale.token())).isFalse();
    assertThat(f.broker.progress("default", stale.id(), stale.token(), "{}")).isFalse();
    assertThat(f.broker.renewLeases("default", "w1", Map.of(stale.id(), stale.token()), LEASE))
        .containsEntry(stale.id(), LeaseState.LOST);

    assertThat(f.broker.complete("default", current.id(), current.token(), "\"mine\"")).isTrue();
    Job done = f.client.require("default", current.id());
    assertThat(done.result()).isEqualTo("\"mine\"");
    assertThat(done.worker()).isEqualTo("w2");
  }

  @Test
  void heartbeatTellsTheWorkerOfACancel() {
    f.client.enqueue(job("a").build());
    Job j = claimOne("w1");
    f.client.cancel("default", j.id());

    assertThat(f.broker.renewLeases("default", "w1", Map.of(j.id(), j.token()), LEASE))
        .containsEntry(j.id(), LeaseState.CANCELLED);
    assertThat(f.broker.complete("default", j.id(), j.token(), null)).isFalse();
    assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void manyReapersAtOnceReapEachJobOnce() throws Exception {
    for (int i = 0; i < 50; i++) {
      f.client.enqueue(job("a").build());
    }
    f.broker.claim("default", "w1", 50, LEASE);
    f.clock.advance(LEASE.plusMillis(1));

    List<RedisBroker> reapers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RedisBroker b = RedisBroker.connect(RedisConfig.builder().url(f.redis.url())
            .prefix(f.prefix).clock(f.clock).build());
        reapers.add(b);
        calls.add(() -> b.reapExpired("default", POLICY, 100));
      }
      int total = 0;
      for (Future<Integer> r : pool.invokeAll(calls)) {
        total += r.get();
      }
      assertThat(total).isEqualTo(50);
      assertThat(f.broker.stats("default").delayed()).isEqualTo(50);
      assertThat(f.broker.stats("default").totalFailedAttempts()).isEqualTo(50);
    } finally {
      pool.shutdown();
      reapers.forEach(RedisBroker::close);
    }
  }

  @Test
  void releaseReturnsTheJobToTheHeadOfItsPriorityWithoutSpendingTheAttempt() {
    f.client.enqueue(job("first").build());
    f.client.enqueue(job("second").build());
    Job j = claimOne("w1");

    assertThat(f.broker.release("default", j.id(), j.token())).isTrue();

    Job back = claimOne("w2");
    assertThat(back.type()).isEqualTo("first");
    assertThat(back.attempt()).isEqualTo(1);
  }

  @Test
  void oneJobThatCannotBeReadDoesNotStopTheReaper() {
    f.client.enqueue(job("a").maxAttempts(3).build());
    f.client.enqueue(job("b").maxAttempts(3).build());
    List<Job> held = f.broker.claim("default", "w1", 2, LEASE);
    Keys k = new Keys(f.prefix, "default");
    f.jedis.hset(k.jobs(), held.get(0).id(), "not a job");
    f.clock.advance(LEASE.plusSeconds(1));

    assertThat(f.broker.reapExpired("default", POLICY, 10)).isEqualTo(1);

    assertThat(f.client.require("default", held.get(1).id()).status()).isEqualTo(JobStatus.DELAYED);
    assertThat(f.jedis.zscore(k.active(), held.get(0).id())).as("no slot held for ever").isNull();
    assertThat(f.broker.stats("default").totalOrphans()).isEqualTo(1);
    f.deleteStored("default", held.get(0).id());
  }

  @Test
  void anIdInActiveWhoseJobIsGoneLeavesOnceItsLeasePassedAndFreesItsSlot() {
    f.client.setLimit("default", dev.jobq.Limit.running(null, 1));
    f.client.enqueue(job("a").id("a").build());
    f.client.enqueue(job("b").id("b").build());
    claimOne("w1");
    f.deleteStored("default", "a");
    Keys k = new Keys(f.prefix, "default");

    f.clock.advance(LEASE.minusMillis(1));
    f.broker.reapExpired("default", POLICY, 10);
    assertThat(f.jedis.zscore(k.active(), "a")).as("its lease has not passed").isNotNull();
    f.clock.advance(Duration.ofMillis(1));
    assertThat(f.broker.reapExpired("default", POLICY, 10)).as("no attempt failed").isZero();

    assertThat(f.jedis.zscore(k.active(), "a")).isNull();
    assertThat(f.broker.stats("default").totalOrphans()).isEqualTo(1);
    assertThat(f.broker.stats("default").totalFailedAttempts()).isZero();
    assertThat(claimOne("w1").id()).isEqualTo("b");
  }

  @Test
  void progressIsReadableByTheProducer() {
    f.client.enqueue(job("a").build());
    Job j = claimOne("w1");

    assertThat(f.broker.progress("default", j.id(), j.token(), "{\"done\":3,\"total\":10}")).isTrue();
    assertThat(f.client.require("default", j.id()).progress()).isEqualTo("{\"done\":3,\"total\":10}");
  }
}
