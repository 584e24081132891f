package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.Limit;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits on a queue or a job type, enforced by claim: at most N running, at most N started per
 * window. Held-back jobs keep their place; stats name the limit that held them.
 */
public interface LimitContract extends BrokerUnderTest {

  @Test
  default void aTypeAtItsRunningLimitKeepsItsPlaceWhileOtherTypesGoAhead() {
    broker().setLimit(QUEUE, Limit.running("deploy", 2));
    for (int i = 0; i < 4; i++) {
      enqueue(job("deploy").id("d" + i));
    }
    enqueue(job("build").id("b0"));

    List<Job> first = claim(10);

    assertThat(first).extracting(Job::id).containsExactly("d0", "d1", "b0");
    assertThat(broker().stats(QUEUE).heldBack()).containsExactly("type deploy: at most 2 running");
    assertThat(claim(10)).isEmpty();
    broker().complete(QUEUE, "d0", first.get(0).token(), null);
    assertThat(claimIds(10)).as("FIFO within the type").containsExactly("d2");
  }

  @Test
  default void aFailedOrReleasedJobFreesItsRunningSlot() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    for (String id : List.of("a", "b", "c")) {
      enqueued(id);
    }
    Job a = claimed("a");
    assertThat(claim(10)).isEmpty();

    broker().fail(QUEUE, "a", a.token(), Failure.of("E", "x"), null);
    Job b = claimed("b");
    broker().release(QUEUE, "b", b.token());

    assertThat(claimIds(10)).containsExactly("b");
  }

  @Test
  default void aQueueRateLimitStartsAtMostNPerWindow() {
    broker().setLimit(QUEUE, Limit.rate(null, 3, Duration.ofSeconds(10)));
    for (int i = 0; i < 5; i++) {
      enqueued("j" + i);
    }

    assertThat(claimIds(10)).containsExactly("j0", "j1", "j2");
    assertThat(claim(10)).isEmpty();
    assertThat(broker().stats(QUEUE).heldBack()).containsExactly("queue: at most 3 started per 10s");
    advance(Duration.ofSeconds(10));
    assertThat(claimIds(10)).containsExactly("j3", "j4");
  }

  @Test
  default void anIdleWaitEndsWhenTheNextRateWindowOpens() throws Exception {
    broker().setLimit(QUEUE, Limit.rate(null, 1, Duration.ofSeconds(10)));
    enqueued("a");
    enqueued("b");
    claimed("a");
    assertThat(claim(1)).isEmpty();
    advance(Duration.ofSeconds(10));

    assertThat(broker().awaitWork(List.of(QUEUE), Duration.ofSeconds(20))).isTrue();
    assertThat(claimIds(1)).containsExactly("b");
  }

  @Test
  default void aQueueRunningLimitAndATypeRateLimitHoldTogether() {
    broker().setLimit(QUEUE, Limit.running(null, 3));
    broker().setLimit(QUEUE, Limit.rate("mail", 1, Duration.ofMinutes(1)));
    for (String type : List.of("mail", "mail", "x", "x", "x")) {
      enqueue(job(type));
    }

    assertThat(claim(10)).extracting(Job::type).containsExactly("mail", "x", "x");
  }

  @Test
  default void limitsAreListedQueueFirstThenByTypeAndCanBeReplacedAndRemoved() {
    broker().setLimit(QUEUE, Limit.rate("mail", 1, Duration.ofMinutes(1)));
    broker().setLimit(QUEUE, Limit.running("deploy", 2));
    broker().setLimit(QUEUE, Limit.running(null, 5));
    broker().setLimit(QUEUE, Limit.running(null, 3));

    assertThat(broker().limits(QUEUE)).containsExactly(Limit.running(null, 3),
        Limit.running("deploy", 2), Limit.rate("mail", 1, Duration.ofMinutes(1)));
    assertThat(broker().removeLimit(QUEUE, "mail")).isTrue();
    assertThat(broker().removeLimit(QUEUE, "mail")).isFalse();
    assertThat(broker().removeLimit(QUEUE, null)).isTrue();
    assertThat(broker().limits(QUEUE)).containsExactly(Limit.running("deploy", 2));
    assertThat(broker().limits("other")).isEmpty();
  }

  @Test
  default void aRemovedLimitHoldsNothingBack() {
    broker().setLimit(QUEUE, Limit.running(null, 1));
    enqueued("a");
    enqueued("b");
    claimed("a");
    assertThat(claim(10)).isEmpty();

    broker().removeLimit(QUEUE, null);

    assertThat(claimIds(10)).containsExactly("b");
  }
}
