package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Backoff;
import dev.jobq.JobStatus;
import dev.jobq.worker.WorkerListener.AttemptOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WorkerListenerTest extends WorkerTestSupport {

  /** Writes down the ends of attempts as "type outcome". */
  static final class Ends implements WorkerListener {
    final List<String> ends = new CopyOnWriteArrayList<>();
    final List<Long> waits = new CopyOnWriteArrayList<>();

    @Override
    public void jobStarted(String queue, String type, long waitMillis) {
      waits.add(waitMillis);
    }

    @Override
    public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
      ends.add(type + " " + outcome.tag());
    }
  }

  @Test
  void eachAttemptEndsOnceWithItsOutcome() {
    Ends listener = new Ends();
    startWorker(b -> b.listener(listener)
        .handler("ok", ctx -> null)
        .handler("flaky", ctx -> {
          throw new IllegalStateException("no");
        }));
    enqueue("ok", "{}");
    String flaky = enqueue("flaky", "{}",
        b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10))));

    awaitStatus(flaky, JobStatus.FAILED);
    await().atMost(PATIENCE).until(() -> listener.ends.size() == 3);
    assertThat(listener.ends).containsExactlyInAnyOrder("ok completed", "flaky retried",
        "flaky dead_lettered");
    assertThat(listener.waits).hasSize(3).allMatch(w -> w >= 0);
  }

  @Test
  void aListenerThatThrowsChangesNoOutcome() {
    WorkerListener broken = new WorkerListener() {
      @Override
      public void jobStarted(String queue, String type, long waitMillis) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void jobEnded(String queue, String type, AttemptOutcome outcome, long runNanos) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void claimed(String queue, int jobs) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void redisCalled(RedisCall call, long nanos) {
        throw new IllegalStateException("broken listener");
      }
    };
    startWorker(b -> b.listener(broken).handler("ok", ctx -> "done"));
    String id = enqueue("ok", "{}");
    assertThat(awaitStatus(id, JobStatus.COMPLETED).result()).isEqualTo("\"done\"");
  }
}
