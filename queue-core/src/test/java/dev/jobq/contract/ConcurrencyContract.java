package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What the Javadoc promises under races, from many threads on one broker: each job claimed once,
 * reaped once, each tick fired once, one job per uniqueness key.
 */
public interface ConcurrencyContract extends BrokerUnderTest {
  int THREADS = 8;

  /** Runs {@code calls} copies of {@code call} on {@link #THREADS} threads; their answers. */
  private <T> List<T> race(int calls, Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<T>> futures = pool.invokeAll(Collections.nCopies(calls, call));
      List<T> answers = new ArrayList<>();
      for (Future<T> f : futures) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void workersClaimingAtOnceGetEachJobOnce() throws Exception {
    for (int i = 0; i < 100; i++) {
      enqueued("j" + i);
    }

    List<List<Job>> claims = race(40, () -> claim(5));

    List<String> ids = claims.stream().flatMap(List::stream).map(Job::id).toList();
    assertThat(ids).hasSize(100).doesNotHaveDuplicates();
  }

  @Test
  default void reapersRunningAtOnceReapEachJobOnce() throws Exception {
    for (int i = 0; i < 50; i++) {
      enqueued("j" + i);
    }
    claim(50);
    advance(LEASE.plusMillis(1));

    List<Integer> reaped = race(THREADS, () -> broker().reapExpired(QUEUE,
        ReaperContract.TEN_SECONDS, 100));

    assertThat(reaped.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    assertThat(broker().stats(QUEUE).totalFailedAttempts()).isEqualTo(50);
    assertThat(broker().stats(QUEUE).delayed()).isEqualTo(50);
  }

  @Test
  default void schedulersFiringAtOnceFireATickOnce() throws Exception {
    broker().putSchedule(Schedule.every("beat", Duration.ofSeconds(10), job("x")));
    advance(Duration.ofSeconds(10));

    List<Integer> fired = race(16, () -> broker().fireDueSchedules(QUEUE));

    assertThat(fired.stream().mapToInt(Integer::intValue).sum()).isOne();
    assertThat(broker().stats(QUEUE).waitingTotal()).isOne();
  }

  @Test
  default void producersOfOneUniqueKeyAtOnceMakeOneJob() throws Exception {
    List<EnqueueResult> results = race(40,
        () -> enqueue(job("report").unique("report:acme", Duration.ofMinutes(10))));

    List<EnqueueResult> created = results.stream().filter(EnqueueResult::created).toList();
    assertThat(created).hasSize(1);
    assertThat(results).extracting(EnqueueResult::jobId).containsOnly(created.get(0).jobId());
  }

  @Test
  default void producersOfOneChosenIdAtOnceMakeOneJob() throws Exception {
    List<EnqueueResult> results = race(40, () -> enqueue(job("t").id("once")));

    assertThat(results).filteredOn(EnqueueResult::created).hasSize(1);
    assertThat(broker().stats(QUEUE).totalEnqueued()).isOne();
  }
}
