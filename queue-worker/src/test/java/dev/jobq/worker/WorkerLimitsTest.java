package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limits hold across workers: three workers with room for twelve jobs run two deploys at most. */
class WorkerLimitsTest extends WorkerTestSupport {
  @Test
  void atMostTwoDeploysRunAnywhereWhileOtherTypesUseTheRestOfTheSlots() {
    client.setLimit(QUEUE, Limit.running("deploy", 2));
    AtomicInteger deploys = new AtomicInteger();
    AtomicInteger mostDeploys = new AtomicInteger();
    AtomicInteger others = new AtomicInteger();
    AtomicInteger mostOthers = new AtomicInteger();
    for (int w = 0; w < 3; w++) {
      startWorker(b -> b.concurrency(4)
          .handler("deploy", ctx -> {
            mostDeploys.accumulateAndGet(deploys.incrementAndGet(), Math::max);
            Thread.sleep(30);
            deploys.decrementAndGet();
            return null;
          })
          .handler("build", ctx -> {
            mostOthers.accumulateAndGet(others.incrementAndGet(), Math::max);
            Thread.sleep(30);
            others.decrementAndGet();
            return null;
          }));
    }
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      jobs.add(JobRequest.builder("deploy").queue(QUEUE).build());
      jobs.add(JobRequest.builder("build").queue(QUEUE).build());
    }
    client.enqueueAll(jobs);

    await().atMost(PATIENCE).until(() -> broker.stats(QUEUE).totalCompleted() == 40);
    assertThat(mostDeploys.get()).isEqualTo(2);
    assertThat(mostOthers.get()).as("builds are not held back by the deploy limit")
        .isGreaterThan(2);
  }

  @Test
  void aRateLimitedQueueIsDrainedWindowByWindow() {
    client.setLimit(QUEUE, Limit.rate(null, 5, Duration.ofMillis(500)));
    startWorker(b -> b.concurrency(8));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      ids.add(enqueue("jobq.noop", "null"));
    }

    ids.forEach(id -> awaitStatus(id, JobStatus.COMPLETED));
    List<Long> starts = ids.stream().map(id -> job(id).startedAt().toEpochMilli() / 500).toList();
    assertThat(starts.stream().distinct().count()).as("windows used").isGreaterThanOrEqualTo(3);
    assertThat(starts.stream().collect(java.util.stream.Collectors.groupingBy(w -> w,
        java.util.stream.Collectors.counting())).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
  }
}
