package dev.jobq.cli;

import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.redis.RedisBroker;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts jobs into the states a test needs through the broker's own transitions, as a worker
 * would: claim, then complete or fail.
 */
final class Jobs {
  private static final Duration LEASE = Duration.ofMinutes(1);

  private Jobs() {}

  static List<String> waiting(Cli cli, String queue, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(cli.client().enqueue(JobRequest.builder("test.job").queue(queue)
          .payload("{\"n\":" + i + "}").maxAttempts(1).build()).jobId());
    }
    return ids;
  }

  static List<String> completed(Cli cli, String queue, int n) {
    waiting(cli, queue, n);
    RedisBroker broker = cli.broker();
    List<String> ids = new ArrayList<>();
    for (Job j : broker.claim(queue, "test-worker", n, LEASE)) {
      broker.complete(queue, j.id(), j.token(), "{\"ok\":" + j.payloadTree().get("n") + "}");
      ids.add(j.id());
    }
    return ids;
  }

  static List<String> failed(Cli cli, String queue, int n) {
    waiting(cli, queue, n);
    RedisBroker broker = cli.broker();
    List<String> ids = new ArrayList<>();
    for (Job j : broker.claim(queue, "test-worker", n, LEASE)) {
      FailOutcome o = broker.fail(queue, j.id(), j.token(),
          Failure.of(new IllegalStateException("boom " + j.id())), null);
      if (o != FailOutcome.DEAD_LETTERED) {
        throw new AssertionError("expected " + j.id() + " dead-lettered, got " + o);
      }
      ids.add(j.id());
    }
    return ids;
  }
}
