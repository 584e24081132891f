package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each script refuses a job in a state its transition does not start from. */
class WrongStateTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private String waiting() {
    return f.client.enqueue(job("a").build()).jobId();
  }

  private Job completed() {
    f.client.enqueue(job("a").build());
    Job j = f.broker.claim("default", "w", 1, LEASE).get(0);
    f.broker.complete("default", j.id(), j.token(), null);
    return j;
  }

  @Test
  void completeRefusesAJobThatIsNotActive() {
    String id = waiting();
    assertThat(f.broker.complete("default", id, 0, null)).isFalse();
    assertThat(f.client.require("default", id).status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void completeRefusesAJobCompletedAlready() {
    Job j = completed();
    assertThat(f.broker.complete("default", j.id(), j.token(), "\"twice\"")).isFalse();
    assertThat(f.client.require("default", j.id()).result()).isNull();
  }

  @Test
  void failRefusesAFinishedJob() {
    Job j = completed();
    assertThat(f.broker.fail("default", j.id(), j.token(), Failure.of("E", "x"), Duration.ZERO))
        .isEqualTo(FailOutcome.STALE);
    assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void releaseRefusesAWaitingJob() {
    String id = waiting();
    assertThat(f.broker.release("default", id, 0)).isFalse();
  }

  @Test
  void progressRefusesAFinishedJob() {
    Job j = completed();
    assertThat(f.broker.progress("default", j.id(), j.token(), "{}")).isFalse();
  }

  @Test
  void heartbeatAnswersLostForAFinishedJob() {
    Job j = completed();
    assertThat(f.broker.renewLeases("default", "w", Map.of(j.id(), j.token()), LEASE))
        .containsEntry(j.id(), LeaseState.LOST);
  }

  @Test
  void retryFailedLeavesJobsThatAreNotFailedAlone() {
    String id = waiting();
    Job done = completed();
    assertThat(f.client.retryFailed("default", List.of(id, done.id()))).isZero();
    assertThat(f.client.require("default", done.id()).status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void reapLeavesALiveLeaseAlone() {
    f.client.enqueue(job("a").build());
    Job j = f.broker.claim("default", "w", 1, LEASE).get(0);
    assertThat(f.broker.reapExpired("default", dev.jobq.RetryPolicy.DEFAULT, 10)).isZero();
    assertThat(f.client.require("default", j.id()).status()).isEqualTo(JobStatus.ACTIVE);
  }

  @Test
  void claimIgnoresAnIdWhoseJobWasDeleted() {
    String id = waiting();
    f.deleteStored("default", id);
    assertThat(f.broker.claim("default", "w", 1, LEASE)).isEmpty();
  }

  @Test
  void claimDeadLettersAJobWhoseFieldsAreNonsense() {
    String id = waiting();
    f.editStored("default", id, "max_attempts", "many");
    assertThat(f.broker.claim("default", "w", 1, LEASE)).isEmpty();
    f.editStored("default", id, "max_attempts", "3");

    Job failed = f.client.require("default", id);
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.errorClass()).isEqualTo("dev.jobq.MalformedJob");
    assertThat(failed.error()).contains(id).contains("many");
  }

  @Test
  void aNonsenseCreationTimeFailsOnlyItsOwnJobNotTheClaim() {
    String bad = waiting();
    String good = waiting();
    f.editStored("default", bad, "created_at", "yesterday");

    claimOnlyTheGoodOneAndDeadLetterTheOther(good, bad);
  }

  @Test
  void aJobWhoseTypeIsNotTextDoesNotStopAClaimUnderATypeLimit() {
    f.broker.setLimit("default", dev.jobq.Limit.running("a", 1));
    String odd = waiting();
    String good = f.client.enqueue(job("b").build()).jobId();
    f.jedis.eval("local j = cmsgpack.unpack(redis.call('HGET', KEYS[1], ARGV[1]))"
        + " j.type = {1, 2} redis.call('HSET', KEYS[1], ARGV[1], cmsgpack.pack(j))",
        List.of(new Keys(f.prefix, "default").jobs()), List.of(odd));

    claimOnlyTheGoodOneAndDeadLetterTheOther(good, odd);
  }

  /** Both wait; a claim of two runs the good one and dead-letters the bad one as malformed. */
  private void claimOnlyTheGoodOneAndDeadLetterTheOther(String good, String bad) {
    List<Job> claimed = f.broker.claim("default", "w", 2, LEASE);

    assertThat(claimed).extracting(Job::id).containsExactly(good);
    assertThat(f.stored("default", bad)).containsEntry("status", "FAILED")
        .containsEntry("error_class", "dev.jobq.MalformedJob");
  }

  @Test
  void aValueThatIsNoJobAtAllIsDeadLetteredWhenClaimed() {
    String bad = waiting();
    String good = waiting();
    f.jedis.hset(new Keys(f.prefix, "default").jobs(), bad, "not a job");

    claimOnlyTheGoodOneAndDeadLetterTheOther(good, bad);
  }
}
