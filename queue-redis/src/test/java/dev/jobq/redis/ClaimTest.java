package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClaimTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<String> claimTypes(int max) {
    return f.broker.claim("default", "w1", max, LEASE).stream().map(Job::type).toList();
  }

  @Test
  void highestPriorityFirstAndFifoWithinOne() {
    f.client.enqueue(job("normal-1").build());
    f.client.enqueue(job("low-1").priority(Priority.LOW).build());
    f.client.enqueue(job("normal-2").build());
    f.client.enqueue(job("critical-1").priority(Priority.CRITICAL).build());
    f.client.enqueue(job("high-1").priority(Priority.HIGH).build());
    f.client.enqueue(job("critical-2").priority(Priority.CRITICAL).build());

    assertThat(claimTypes(10))
        .containsExactly("critical-1", "critical-2", "high-1", "normal-1", "normal-2", "low-1");
  }

  @Test
  void claimsAtMostTheAskedNumberInOneCall() {
    for (int i = 0; i < 5; i++) {
      f.client.enqueue(job("t" + i).build());
    }
    assertThat(claimTypes(3)).containsExactly("t0", "t1", "t2");
    assertThat(claimTypes(3)).containsExactly("t3", "t4");
    assertThat(claimTypes(3)).isEmpty();
  }

  @Test
  void aTypedClaimTakesFromTheMiddleKeepsTheOthersInOrderAndDropsAnIdWithoutAJob() {
    String a1 = f.client.enqueue(job("a").build()).jobId();
    String b1 = f.client.enqueue(job("b").build()).jobId();
    String a2 = f.client.enqueue(job("a").build()).jobId();
    String b2 = f.client.enqueue(job("b").build()).jobId();
    Keys k = new Keys(f.prefix, "default");
    String list = null;
    for (int level = 0; level < 4; level++) {
      if (f.jedis.llen(k.waiting(level)) > 0) {
        list = k.waiting(level);
      }
    }
    f.jedis.linsert(list, redis.clients.jedis.args.ListPosition.BEFORE, a2, "ghost");

    List<Job> taken = f.broker.claim("default", "w1", 10, LEASE, java.util.Set.of("b"));

    assertThat(taken).extracting(Job::id).containsExactly(b1, b2);
    assertThat(f.jedis.lrange(list, 0, -1)).as("the ghost is dropped, the others keep their order")
        .containsExactly(a1, a2);
    assertThat(f.jedis.hget(k.stats(), "orphans")).isEqualTo("1");
  }

  /** Redis's own clock, which lease tokens follow, unlike the test's clock. */
  private long redisMillis() {
    List<String> time = f.jedis.time();
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }

  @Test
  void claimMakesTheJobActiveWithANewTokenAndLease() {
    String id = f.client.enqueue(job("a").build()).jobId();
    long before = redisMillis();
    Job claimed = f.broker.claim("default", "w1", 1, LEASE).get(0);
    long after = redisMillis();

    assertThat(claimed.id()).isEqualTo(id);
    assertThat(claimed.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.token()).as("Redis's clock in ms").isBetween(before, after);
    assertThat(claimed.worker()).isEqualTo("w1");
    assertThat(claimed.startedAt()).isEqualTo(Fixture.START);
    assertThat(f.jedis.zscore(new Keys(f.prefix, "default").active(), id))
        .isEqualTo(Fixture.START.plus(LEASE).toEpochMilli());
  }

  @Test
  void dueDelayedJobsArePromotedInDueOrderBeforeClaiming() {
    f.client.enqueue(job("later").delay(Duration.ofSeconds(20)).build());
    f.client.enqueue(job("sooner").delay(Duration.ofSeconds(10)).build());
    f.client.enqueue(job("not-yet").delay(Duration.ofHours(1)).build());

    f.clock.advance(Duration.ofSeconds(30));

    assertThat(claimTypes(10)).containsExactly("sooner", "later");
    assertThat(f.broker.stats("default").delayed()).isEqualTo(1);
  }

  @Test
  void pausedQueueGivesNothingUntilResumed() {
    f.client.enqueue(job("a").build());
    f.client.pause("default");

    assertThat(claimTypes(1)).isEmpty();
    assertThat(f.broker.stats("default").paused()).isTrue();

    f.client.resume("default");
    assertThat(claimTypes(1)).containsExactly("a");
  }

  @Test
  void pausedQueueStillPromotesDueJobsSoIdleWorkersDoNotSpin() throws Exception {
    f.client.enqueue(job("a").delay(Duration.ofSeconds(1)).build());
    f.client.pause("default");
    f.clock.advance(Duration.ofSeconds(1));

    assertThat(claimTypes(1)).isEmpty();
    assertThat(f.broker.stats("default").delayed()).isZero();
    f.broker.awaitWork(List.of("default"), Duration.ofMillis(50)); // the enqueue's wake-up
    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofMillis(50))).isFalse();
  }

  @Test
  void waitTimeIsSampledAtClaim() {
    f.client.enqueue(job("a").build());
    f.clock.advance(Duration.ofMillis(1500));
    f.broker.claim("default", "w1", 1, LEASE);

    assertThat(f.broker.stats("default").waitTime().p95()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void idleWaitEndsWhenAJobIsEnqueued() throws Exception {
    f.broker.claim("default", "w1", 1, LEASE); // consume any old wake-up marker
    Thread producer = new Thread(() -> f.client.enqueue(job("a").build()));
    producer.start();
    assertThat(f.broker.awaitWork(List.of("other", "default"), Duration.ofSeconds(20))).isTrue();
    producer.join();
    assertThat(claimTypes(1)).containsExactly("a");
  }

  @Test
  void aWakeUpHandedOnEndsAnotherWorkersIdleWaitWhereJobsWait() throws Exception {
    f.client.enqueue(job("a").build());
    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofMillis(50))).as("taken").isTrue();
    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofMillis(50))).as("gone").isFalse();

    f.broker.wakeIdleWorkers(List.of("default", "other"));
    f.broker.wakeIdleWorkers(List.of("default"));

    assertThat(f.jedis.llen(new Keys(f.prefix, "default").wake())).as("one marker, not two")
        .isEqualTo(1);
    assertThat(f.jedis.exists(new Keys(f.prefix, "other").wake())).as("no job waits there")
        .isFalse();
    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void idleWaitReturnsAtOnceWhenADelayedJobIsDue() throws Exception {
    f.client.enqueue(job("a").delay(Duration.ofSeconds(5)).build());
    f.broker.claim("default", "w1", 1, LEASE); // takes the marker, finds nothing due
    f.clock.advance(Duration.ofSeconds(5));

    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void idleWaitTimesOutWithoutWork() throws Exception {
    assertThat(f.broker.awaitWork(List.of("empty"), Duration.ofMillis(50))).isFalse();
  }
}
