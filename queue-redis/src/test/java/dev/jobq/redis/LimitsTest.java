package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.Limit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsTest {
  static final Duration LEASE = Duration.ofMinutes(1);
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<Job> claim(int n) {
    return f.broker.claim("default", "w", n, LEASE);
  }

  private List<String> types(List<Job> jobs) {
    return jobs.stream().map(Job::type).toList();
  }

  private void complete(Job j) {
    assertThat(f.broker.complete("default", j.id(), j.token(), null)).isTrue();
  }

  @Test
  void aTypeAtItsRunningLimitKeepsItsPlaceWhileOtherTypesGoAhead() {
    f.client.setLimit("default", Limit.running("deploy", 2));
    for (int i = 0; i < 4; i++) {
      f.client.enqueue(job("deploy").id("d" + i).build());
    }
    f.client.enqueue(job("build").id("b0").build());

    List<Job> first = claim(10);
    assertThat(first).extracting(Job::id).containsExactly("d0", "d1", "b0");
    assertThat(f.broker.stats("default").heldBack()).containsExactly("type deploy: at most 2 running");
    assertThat(claim(10)).isEmpty();

    complete(first.get(0));
    assertThat(claim(10)).extracting(Job::id).as("FIFO within the type").containsExactly("d2");
  }

  @Test
  void aRunningDeployEndingWakesIdleWorkersThatWereHeldBack() {
    f.client.setLimit("default", Limit.running("deploy", 1));
    f.client.enqueueAll(List.of(job("deploy").build(), job("deploy").build()));
    Job running = claim(10).get(0);
    String wake = f.prefix + ":{default}:wake";
    f.jedis.del(wake);

    assertThat(f.broker.claim("default", "w2", 10, LEASE)).as("held back").isEmpty();
    assertThat(f.jedis.llen(wake)).isZero();
    f.broker.fail("default", running.id(), running.token(), dev.jobq.spi.Failure.of("E", "x"), null);
    assertThat(f.jedis.llen(wake)).as("a slot came free").isEqualTo(1);
  }

  @Test
  void aQueueRateLimitStartsAtMostNPerWindowAndWorkersWaitForTheNext() throws Exception {
    f.client.setLimit("default", Limit.rate(null, 3, Duration.ofSeconds(10)));
    for (int i = 0; i < 5; i++) {
      f.client.enqueue(job("call.api").build());
    }

    assertThat(claim(10)).hasSize(3);
    assertThat(claim(10)).isEmpty();
    assertThat(f.broker.stats("default").heldBack()).containsExactly("queue: at most 3 started per 10s");
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(f.broker.awaitWork(List.of("default"), Duration.ofSeconds(30)))
        .as("the window opened: no wait").isTrue();
    assertThat(claim(10)).hasSize(2);
  }

  @Test
  void aQueueRunningLimitAndATypeRateLimitTogether() {
    f.client.setLimit("default", Limit.running(null, 3));
    f.client.setLimit("default", Limit.rate("mail", 1, Duration.ofMinutes(1)));
    f.client.enqueueAll(List.of(job("mail").build(), job("mail").build(), job("x").build(),
        job("x").build(), job("x").build()));

    assertThat(types(claim(10))).containsExactly("mail", "x", "x");
    assertThat(f.client.limits("default")).extracting(Limit::describe)
        .containsExactly("at most 3 running", "at most 1 started per 1m");
    assertThat(f.client.removeLimit("default", "mail")).isTrue();
    assertThat(f.client.removeLimit("default", "mail")).isFalse();
  }

  @Test
  void badLimitsAreRefused() {
    assertThatThrownBy(() -> new Limit("t", 0, 0, null)).isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("needs a maximum");
    assertThatThrownBy(() -> Limit.rate("t", 5, Duration.ZERO)).hasMessageContaining("interval");
    assertThatThrownBy(() -> Limit.running("t", -1)).hasMessageContaining("negative");
  }
}
