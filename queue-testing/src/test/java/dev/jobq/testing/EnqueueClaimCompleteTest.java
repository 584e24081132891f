package dev.jobq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.QueueFullException;
import dev.jobq.QueueStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnqueueClaimCompleteTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  final ManualClock clock = new ManualClock(TestJobs.START);
  final InMemoryBroker broker = new InMemoryBroker(clock);
  final JobClient client = JobClient.create(broker);

  String enqueue(JobRequest.Builder b) {
    return client.enqueue(b.build()).jobId();
  }

  @Test
  void aJobIsEnqueuedClaimedAndCompletedWithItsResult() {
    String id = enqueue(JobRequest.builder("a").payload("{\"x\":1}"));
    List<Job> claimed = broker.claim("default", "w1", 10, LEASE);
    assertThat(claimed).singleElement().satisfies(j -> {
      assertThat(j.id()).isEqualTo(id);
      assertThat(j.status()).isEqualTo(JobStatus.ACTIVE);
      assertThat(j.attempt()).isEqualTo(1);
      assertThat(j.worker()).isEqualTo("w1");
      assertThat(j.token()).isEqualTo(TestJobs.START.toEpochMilli());
    });
    assertThat(broker.complete("default", id, claimed.get(0).token(), "42")).isTrue();
    Job done = broker.get("default", id).orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("42");
    assertThat(broker.recentEvents("default", 10)).extracting(JobEvent::type).containsExactly(
        JobEvent.Type.ENQUEUED, JobEvent.Type.STARTED, JobEvent.Type.COMPLETED);
    QueueStats stats = broker.stats("default");
    assertThat(stats.totalEnqueued()).isEqualTo(1);
    assertThat(stats.totalCompleted()).isEqualTo(1);
    assertThat(stats.completed()).isEqualTo(1);
    assertThat(stats.completedLastMinute()).isEqualTo(1);
    assertThat(stats.waitTime().samples()).isEqualTo(1);
  }

  @Test
  void higherPrioritiesGoFirstFifoWithinOneAndAReleasedJobGoesBackToTheHead() {
    String low = enqueue(JobRequest.builder("a").priority(Priority.LOW));
    String n1 = enqueue(JobRequest.builder("a"));
    String n2 = enqueue(JobRequest.builder("a"));
    String crit = enqueue(JobRequest.builder("a").priority(Priority.CRITICAL));
    assertThat(client.enqueue(JobRequest.builder("a").build()).position()).isEqualTo(3);

    List<Job> two = broker.claim("default", "w", 2, LEASE);
    assertThat(two).extracting(Job::id).containsExactly(crit, n1);
    assertThat(broker.release("default", n1, two.get(1).token())).isTrue();
    assertThat(broker.get("default", n1).orElseThrow().attempt()).isZero();
    assertThat(broker.claim("default", "w", 3, LEASE)).extracting(Job::id)
        .startsWith(n1, n2).hasSize(3).doesNotContain(low);
  }

  @Test
  void aDelayedJobIsPromotedOnceDueAndTokensGrowForAReplacedId() {
    String id = enqueue(JobRequest.builder("a").id("fixed").delay(Duration.ofMinutes(1)));
    assertThat(broker.claim("default", "w", 1, LEASE)).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    Job first = broker.claim("default", "w", 1, LEASE).get(0);
    broker.complete("default", id, first.token(), null);
    EnqueueResult again = client.enqueue(JobRequest.builder("a").id("fixed").build());
    assertThat(again.created()).as("a finished job is answered").isFalse();
    assertThat(client.enqueue(JobRequest.builder("a").id("fixed").replaceFinished().build())
        .created()).isTrue();
    Job second = broker.claim("default", "w", 1, LEASE).get(0);
    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(broker.complete("default", id, first.token(), null)).as("stale").isFalse();
  }

  @Test
  void aFullQueueRefusesTheWholeBatchAndAPausedQueueHandsOutNothing() {
    broker.setMaxDepth("default", 2);
    enqueue(JobRequest.builder("a"));
    assertThatThrownBy(() -> client.enqueueAll(List.of(JobRequest.builder("a").build(),
        JobRequest.builder("a").build()))).isInstanceOf(QueueFullException.class)
        .hasMessageContaining("1 jobs wait");
    assertThat(broker.stats("default").waitingTotal()).isEqualTo(1);
    broker.pause("default");
    assertThat(broker.claim("default", "w", 5, LEASE)).isEmpty();
    broker.resume("default");
    assertThat(broker.claim("default", "w", 5, LEASE)).hasSize(1);
  }

  @Test
  void badArgumentsAreRefusedNamingTheValueAsTheScriptsDo() {
    assertThatThrownBy(() -> broker.claim("default", "w", 1, Duration.ZERO))
        .isInstanceOf(InvalidJobException.class)
        .hasMessage("jobq: claim: lease (ms) is '0'; allowed: a whole number 1..9007199254740991");
    assertThatThrownBy(() -> broker.release("default", "x", -1))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("lease token is '-1'");
    assertThatThrownBy(() -> client.enqueue(JobRequest.builder("a").dependsOn("nope").build()))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("depends on nope");
  }

  @Test
  void aUniqueKeyAnswersTheJobHoldingItWithinItsWindow() {
    JobRequest.Builder b = JobRequest.builder("a").unique("k", Duration.ofMinutes(5));
    String first = enqueue(b);
    EnqueueResult dup = client.enqueue(b.build());
    assertThat(dup.created()).isFalse();
    assertThat(dup.jobId()).isEqualTo(first);
    clock.advance(Duration.ofMinutes(5));
    assertThat(client.enqueue(b.build()).created()).isTrue();
  }
}
