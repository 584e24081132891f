package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.CancelOutcome;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import dev.jobq.RetryPolicy;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import dev.jobq.spi.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * One test per transition: its script, given a job in a state the transition does not start
 * from, refuses it (a refusal code, or lib.lua's move() error for a job whose status and list
 * disagree) and every key of the queue is as it was. A status is edited by hand where no
 * transition can put a job in that state.
 */
class TransitionGuardTest {
  static final String Q = "default";
  static final Duration LEASE = Duration.ofSeconds(30);
  final Fixture f = new Fixture();
  final RawCalls raw = new RawCalls(f.redis, new Keys(f.prefix, Q), f.clock);

  @AfterEach
  void close() {
    raw.close();
    f.close();
  }

  // claim never refuses: one stray id (its job's status says it is elsewhere) would stop the
  // whole queue. It drops the id from the list it was found in, leaves the job, counts it.

  @Test
  void claimDropsAWaitingIdWhoseJobIsNotWaitingAndTakesTheOthers() {
    waiting("good");
    waiting("bad");
    f.editStored(Q, "bad", "status", "COMPLETED");
    Map<String, String> bad = f.stored(Q, "bad");

    assertThat(f.broker.claim(Q, "w", 2, LEASE)).extracting(Job::id).containsExactly("good");

    assertThat(f.stored(Q, "bad")).isEqualTo(bad);
    assertThat(f.jedis.lrange(new Keys(f.prefix, Q).waiting(2), 0, -1)).isEmpty();
    assertThat(f.broker.stats(Q).totalOrphans()).isEqualTo(1);
    f.editStored(Q, "bad", "status", "WAITING"); // for the doctor at close: in no list now
    f.broker.tools().doctor(Q, true);
  }

  @Test
  void claimUnderATypeLimitDropsTheSame() {
    f.broker.setLimit(Q, Limit.running("t", 5));
    waiting("good");
    waiting("bad");
    f.editStored(Q, "bad", "status", "FAILED");
    Map<String, String> bad = f.stored(Q, "bad");

    assertThat(f.broker.claim(Q, "w", 2, LEASE)).extracting(Job::id).containsExactly("good");

    assertThat(f.stored(Q, "bad")).isEqualTo(bad);
    assertThat(f.broker.stats(Q).totalOrphans()).isEqualTo(1);
    f.editStored(Q, "bad", "status", "WAITING");
    f.broker.tools().doctor(Q, true);
  }

  @Test
  void claimDropsADueIdWhoseJobIsNotDelayedAndPromotesNothingOfIt() {
    waiting("ready");
    f.client.enqueue(job("t").id("due").delay(Duration.ofMinutes(1)).build());
    f.editStored(Q, "due", "status", "COMPLETED");
    Map<String, String> due = f.stored(Q, "due");
    f.clock.advance(Duration.ofMinutes(2));

    assertThat(f.broker.claim(Q, "w", 2, LEASE)).extracting(Job::id).containsExactly("ready");

    assertThat(f.stored(Q, "due")).isEqualTo(due);
    assertThat(f.jedis.zcard(new Keys(f.prefix, Q).delayed())).isZero();
    assertThat(f.broker.stats(Q).totalOrphans()).isEqualTo(1);
    f.editStored(Q, "due", "status", "WAITING");
    f.broker.tools().doctor(Q, true);
  }

  @Test
  void completeRefusesAJobThatIsNotActive() {
    Job done = completed("c1");
    waiting("w1");

    assertThat(unchanged(() -> f.broker.complete(Q, "w1", 0, "1"))).isFalse();
    assertThat(unchanged(() -> f.broker.complete(Q, done.id(), done.token(), "2"))).isFalse();
  }

  @Test
  void failRefusesAJobThatIsNotActive() {
    Job done = completed("c1");

    assertThat(unchanged(() -> f.broker.fail(Q, done.id(), done.token(), Failure.of("E", "x"),
        Duration.ZERO))).isEqualTo(FailOutcome.STALE);
  }

  @Test
  void releaseRefusesAJobThatIsNotActive() {
    f.client.enqueue(job("t").id("d1").delay(Duration.ofMinutes(1)).build());
    Job done = completed("c1");

    assertThat(unchanged(() -> f.broker.release(Q, "d1", 0))).isFalse();
    assertThat(unchanged(() -> f.broker.release(Q, done.id(), done.token()))).isFalse();
  }

  @Test
  void progressRefusesAJobThatIsNotActive() {
    Job done = completed("c1");

    assertThat(unchanged(() -> f.broker.progress(Q, done.id(), done.token(), "{}"))).isFalse();
  }

  @Test
  void heartbeatAnswersLostForAJobThatIsNotActive() {
    Job done = completed("c1");

    assertThat(unchanged(() -> f.broker.renewLeases(Q, "w", Map.of("c1", done.token()), LEASE)))
        .containsEntry("c1", LeaseState.LOST);
  }

  @Test
  void cancelLeavesAFinishedJobAsItIsAndAnswersAnUnknownIdAsNotFound() {
    failed("f1");
    completed("c1");

    assertThat(unchanged(() -> f.broker.cancel(Q, List.of("f1", "c1", "nope"))))
        .containsEntry("f1", CancelOutcome.ALREADY_FINISHED)
        .containsEntry("c1", CancelOutcome.ALREADY_FINISHED)
        .containsEntry("nope", CancelOutcome.NOT_FOUND);
  }

  @Test
  void retryFailedLeavesJobsThatAreNotFailedAlone() {
    completed("c1");
    waiting("w1");

    assertThat(unchanged(() -> f.broker.retryFailed(Q, List.of("w1", "c1")))).isZero();
  }

  @Test
  void retryFailedDropsAFailedIdWhoseJobIsNotFailedAndRetriesTheRest() {
    failed("good");
    failed("bad");
    f.editStored(Q, "bad", "status", "COMPLETED");
    Map<String, String> bad = f.stored(Q, "bad");

    assertThat(f.broker.retryAllFailed(Q)).isEqualTo(1);

    assertThat(f.client.require(Q, "good").status()).isEqualTo(JobStatus.WAITING);
    assertThat(f.stored(Q, "bad")).isEqualTo(bad);
    assertThat(f.jedis.zcard(new Keys(f.prefix, Q).failed())).isZero();
    assertThat(f.broker.stats(Q).totalOrphans()).isEqualTo(1);
    f.broker.tools().doctor(Q, true); // the edited job, in no set now, back where its status says
  }

  @Test
  void aDueJobWhosePriorityWasEditedOutOfRangeIsClaimedAndDeadLetteredNotLost() {
    f.client.enqueue(job("t").id("odd").delay(Duration.ofMinutes(1)).build());
    f.editStored(Q, "odd", "pri", "7");
    f.clock.advance(Duration.ofMinutes(2));

    // promoted at normal priority and claimed: the broker dead-letters what it cannot read
    assertThat(f.broker.claim(Q, "w", 1, LEASE)).isEmpty();
    assertThat(f.stored(Q, "odd")).containsEntry("status", "FAILED");
  }

  @Test
  void reapLeavesAnExpiredLeaseOfAJobThatIsNotActiveAlone() {
    Job running = active("a1");
    f.editStored(Q, "a1", "status", "COMPLETED");
    f.clock.advance(LEASE.plusSeconds(1));

    assertThat(unchanged(() -> f.broker.reapExpired(Q, RetryPolicy.DEFAULT, 10))).isZero();

    f.editStored(Q, "a1", "status", "ACTIVE");
    assertThat(f.broker.reapExpired(Q, RetryPolicy.DEFAULT, 10)).isEqualTo(1);
    assertThat(f.client.require(Q, running.id()).status()).isEqualTo(JobStatus.DELAYED);
  }

  @Test
  void enqueueLeavesAJobOfTheIdThatHasNotFinishedAsItIs() {
    active("a1");

    var again = unchanged(() -> f.client.enqueue(job("t").id("a1").replaceFinished().build()));

    assertThat(again.created()).isFalse();
    assertThat(again.status()).isEqualTo(JobStatus.ACTIVE);
  }

  private void waiting(String id) {
    f.client.enqueue(job("t").id(id).build());
  }

  /** Claims the job, which must be the only one waiting. */
  private Job active(String id) {
    waiting(id);
    Job j = f.broker.claim(Q, "w", 1, LEASE).get(0);
    assertThat(j.id()).isEqualTo(id);
    return j;
  }

  private Job completed(String id) {
    Job j = active(id);
    assertThat(f.broker.complete(Q, id, j.token(), null)).isTrue();
    return j;
  }

  private Job failed(String id) {
    Job j = active(id);
    assertThat(f.broker.fail(Q, id, j.token(), Failure.of("E", "x"), null))
        .isEqualTo(FailOutcome.DEAD_LETTERED);
    return j;
  }

  private <T> T unchanged(Supplier<T> call) {
    Map<String, String> before = raw.dump(f.prefix);
    T out = call.get();
    Map<String, String> after = raw.dump(f.prefix);
    assertThat(after).as(raw.diff(before, after)).isEqualTo(before);
    return out;
  }

  private void refusedUnchanged(Executable call, String message) {
    Map<String, String> before = raw.dump(f.prefix);
    assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(message);
    Map<String, String> after = raw.dump(f.prefix);
    assertThat(after).as(raw.diff(before, after)).isEqualTo(before);
  }
}
