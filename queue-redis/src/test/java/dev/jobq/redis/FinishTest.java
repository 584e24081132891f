package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.QueueStats;
import dev.jobq.spi.Broker;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinishTest {
  static final Duration LEASE = Duration.ofSeconds(30);

  private static Job claimOne(Fixture f) {
    return f.broker.claim("default", "w1", 1, LEASE).get(0);
  }

  @Test
  void completeStoresTheResultAndExpiresTheJobAfterTheRetention() {
    try (Fixture f = new Fixture(RedisConfig.builder().completedRetention(Duration.ofHours(2)))) {
      f.client.enqueue(job("a").build());
      Job j = claimOne(f);
      f.clock.advance(Duration.ofMillis(250));

      assertThat(f.broker.complete("default", j.id(), j.token(), "{\"ok\":true}")).isTrue();

      Job done = f.client.require("default", j.id());
      assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(done.result()).isEqualTo("{\"ok\":true}");
      assertThat(done.finishedAt()).isEqualTo(Fixture.START.plusMillis(250));
      assertThat(f.broker.stats("default").runTime().p50()).isEqualTo(Duration.ofMillis(250));

      f.clock.advance(Duration.ofHours(2));
      f.client.enqueue(job("b").build());
      Job later = claimOne(f);
      f.broker.complete("default", later.id(), later.token(), null);
      assertThat(f.client.get("default", j.id())).as("past its retention").isEmpty();
      assertThat(f.client.get("default", later.id())).isPresent();
    }
  }

  @Test
  void completeAllAcceptsEachJobOnItsOwnTokenInOneCall() {
    try (Fixture f = new Fixture()) {
      for (String t : List.of("a", "b", "c")) {
        f.client.enqueue(job(t).build());
      }
      List<Job> jobs = f.broker.claim("default", "w1", 3, LEASE);
      f.clock.advance(Duration.ofMillis(40));
      List<Broker.Completion> completions = List.of(
          new Broker.Completion(jobs.get(0).id(), jobs.get(0).token(), "1"),
          new Broker.Completion(jobs.get(1).id(), jobs.get(1).token() + 1, "2"), // stale token
          new Broker.Completion(jobs.get(2).id(), jobs.get(2).token(), null),
          new Broker.Completion("no-such-job", 1, "4"));

      assertThat(f.broker.completeAll("default", completions))
          .containsExactly(true, false, true, false);

      assertThat(f.client.require("default", jobs.get(0).id()).result()).isEqualTo("1");
      Job refused = f.client.require("default", jobs.get(1).id());
      assertThat(refused.status()).isEqualTo(JobStatus.ACTIVE);
      assertThat(refused.result()).isNull();
      Job noResult = f.client.require("default", jobs.get(2).id());
      assertThat(noResult.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(noResult.result()).isNull();
      QueueStats stats = f.broker.stats("default");
      assertThat(stats.completed()).isEqualTo(2);
      assertThat(stats.totalCompleted()).isEqualTo(2);
      assertThat(stats.completedLastMinute()).isEqualTo(2);
      assertThat(stats.active()).isEqualTo(1);
      assertThat(stats.runTime().p50()).isEqualTo(Duration.ofMillis(40));
      assertThat(f.broker.completeAll("default", List.of())).isEmpty();
      assertThat(f.broker.complete("default", jobs.get(1).id(), jobs.get(1).token(), null)).isTrue();
    }
  }

  @Test
  void completedJobsBeyondTheCountLimitAreForgotten() {
    try (Fixture f = new Fixture(RedisConfig.builder().maxFinishedKept(3))) {
      for (int i = 0; i < 5; i++) {
        f.client.enqueue(job("t" + i).build());
        Job j = claimOne(f);
        f.broker.complete("default", j.id(), j.token(), null);
        f.clock.advance(Duration.ofSeconds(1));
      }
      var page = f.client.list("default", JobStatus.COMPLETED, 0, 10);
      assertThat(page.total()).isEqualTo(3);
      assertThat(page.jobs()).extracting(Job::type).containsExactly("t4", "t3", "t2");
      assertThat(f.storedIds("default")).hasSize(3);
    }
  }

  @Test
  void failWithAttemptsLeftBacksOffThroughTheDelayedSet() {
    try (Fixture f = new Fixture()) {
      f.client.enqueue(job("a").maxAttempts(3).build());
      Job j = claimOne(f);

      FailOutcome outcome = f.broker.fail("default", j.id(), j.token(),
          Failure.of(new IllegalStateException("boom")), Duration.ofSeconds(5));

      assertThat(outcome).isEqualTo(FailOutcome.RETRY_SCHEDULED);
      Job failed = f.client.require("default", j.id());
      assertThat(failed.status()).isEqualTo(JobStatus.DELAYED);
      assertThat(failed.error()).isEqualTo("boom");
      assertThat(failed.errorClass()).isEqualTo("java.lang.IllegalStateException");
      assertThat(failed.stack()).contains("FinishTest");
      assertThat(f.broker.claim("default", "w1", 1, LEASE)).isEmpty();

      f.clock.advance(Duration.ofSeconds(5));
      Job second = claimOne(f);
      assertThat(second.attempt()).isEqualTo(2);
      assertThat(second.token()).isGreaterThan(j.token());
    }
  }

  @Test
  void failOnTheLastAttemptDeadLetters() {
    try (Fixture f = new Fixture()) {
      f.client.enqueue(job("a").maxAttempts(2).build());
      Job j = claimOne(f);
      f.broker.fail("default", j.id(), j.token(), Failure.of("E", "one"), Duration.ZERO);
      j = claimOne(f);

      FailOutcome outcome =
          f.broker.fail("default", j.id(), j.token(), Failure.of("E", "two"), Duration.ZERO);

      assertThat(outcome).isEqualTo(FailOutcome.DEAD_LETTERED);
      assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.FAILED);
      var stats = f.broker.stats("default");
      assertThat(stats.failed()).isEqualTo(1);
      assertThat(stats.totalFailedAttempts()).isEqualTo(2);
      assertThat(stats.totalDeadLettered()).isEqualTo(1);
      assertThat(stats.failureRate()).isEqualTo(1.0);
    }
  }

  @Test
  void failWithoutADelayDeadLettersAtOnce() {
    try (Fixture f = new Fixture()) {
      f.client.enqueue(job("a").maxAttempts(5).build());
      Job j = claimOne(f);

      assertThat(f.broker.fail("default", j.id(), j.token(), Failure.of("E", "permanent"), null))
          .isEqualTo(FailOutcome.DEAD_LETTERED);
    }
  }

  @Test
  void aFailedRetentionExpiresDeadLetteredJobsUnlessTheyAreRetried() {
    try (Fixture f = new Fixture(RedisConfig.builder().failedRetention(Duration.ofHours(1)))) {
      Job forgotten = deadLetter(f);
      Job retried = deadLetter(f);
      f.clock.advance(Duration.ofMinutes(30));
      Job recent = deadLetter(f);
      f.client.retryFailed("default", List.of(retried.id()));

      f.clock.advance(Duration.ofMinutes(31));
      assertThat(f.broker.expireFinished("default")).isEqualTo(1);

      assertThat(f.client.get("default", forgotten.id())).as("past the retention").isEmpty();
      assertThat(f.client.require("default", retried.id()).status()).isEqualTo(JobStatus.WAITING);
      assertThat(f.client.require("default", recent.id()).status()).isEqualTo(JobStatus.FAILED);
      f.client.cancel("default", List.of(retried.id()));
    }
  }

  private static Job deadLetter(Fixture f) {
    f.client.enqueue(job("a").maxAttempts(1).build());
    Job j = claimOne(f);
    f.broker.fail("default", j.id(), j.token(), Failure.of("E", "x"), null);
    return j;
  }
}
