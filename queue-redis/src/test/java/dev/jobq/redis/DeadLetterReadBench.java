package dev.jobq.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.spi.Failure;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a timed test but a measurement for docs/PERFORMANCE.md: 10,000 failed jobs, then what
 * reading them for the dead-letter groups ({@code newestFailed}) costs from their errors in
 * short (failed_errors) and, with that key removed, from the jobs whole as before it: wall
 * time, the caller's CPU time and Redis's busy time per call (the last two move less with the
 * machine's load); and Redis's memory for the errors in short. Skipped unless {@code
 * -Ddeadletter.bench=true}; {@code -Ddeadletter.bench.payload=N} and {@code .stack=N} set the
 * size of each job's payload and stack trace (default 10 and 16 characters).
 */
class DeadLetterReadBench {
  static final int FAILED = 10_000;
  static final int CALLS = 15;
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void readsTheNewestFailedJobsBothWays() {
    assumeTrue(Boolean.getBoolean("deadletter.bench"), "a measurement, not a test");
    try (Fixture f = new Fixture()) {
      Keys k = new Keys(f.prefix, "big");
      fill(f, Integer.getInteger("deadletter.bench.payload", 10),
          Integer.getInteger("deadletter.bench.stack", 16));
      long bytes = f.jedis.memoryUsage(k.failedErrors(), 0);
      System.out.printf("failed_errors: %,d bytes for %,d failed jobs (%.0f B a job); jobs hash"
          + " %,d bytes%n", bytes, FAILED, bytes / (double) FAILED, f.jedis.memoryUsage(k.jobs(), 0));
      for (int round = 0; round < 4; round++) {
        time(f, "errors in short");
        byte[] dump = f.jedis.dump(k.failedErrors());
        f.jedis.del(k.failedErrors());
        time(f, "jobs whole     ");
        f.jedis.restore(k.failedErrors(), 0, dump);
      }
    }
  }

  private static void fill(Fixture f, int payload, int stack) {
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 1; i <= FAILED; i++) {
      batch.add(JobRequest.builder("print").queue("big").id("f-" + i).maxAttempts(1)
          .payload("\"" + "p".repeat(payload) + "\"").build());
    }
    f.client.enqueueAll(batch);
    String[] errors = {"disk full", "printer on fire", "timeout after 30s", "no such user",
        "connection refused"};
    String trace = "s".repeat(stack);
    f.jedis.configResetStat();
    int done = 0;
    while (done < FAILED) {
      for (Job job : f.broker.claim("big", "bench", 100, Duration.ofMinutes(10))) {
        f.broker.fail("big", job.id(), job.token(),
            new Failure("PrintError", errors[done % errors.length], trace), null);
        done++;
      }
    }
    System.out.println("claims and fails: " + f.jedis.info("commandstats").lines()
        .filter(l -> l.startsWith("cmdstat_evalsha")).findFirst().orElse(""));
  }

  private static void time(Fixture f, String what) {
    f.broker.newestFailed("big", FAILED + 1);
    long[] wall = new long[CALLS];
    long[] cpu = new long[CALLS];
    f.jedis.configResetStat();
    for (int i = 0; i < CALLS; i++) {
      long w = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      int n = f.broker.newestFailed("big", FAILED + 1).size();
      cpu[i] = THREADS.getCurrentThreadCpuTime() - c;
      wall[i] = System.nanoTime() - w;
      if (n != FAILED) {
        throw new AssertionError("read " + n + " failed jobs, not " + FAILED);
      }
    }
    long redisUs = f.jedis.info("commandstats").lines()
        .filter(l -> l.startsWith("cmdstat_hmget") || l.startsWith("cmdstat_zrevrange"))
        .mapToLong(l -> Long.parseLong(l.replaceAll(".*usec=([0-9]+),.*", "$1"))).sum();
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf("newestFailed(10,001) from %s: median %.1f ms (max %.1f), caller CPU %.1f"
        + " ms, Redis busy %.1f ms%n", what, wall[CALLS / 2] / 1e6, wall[CALLS - 1] / 1e6,
        cpu[CALLS / 2] / 1e6, redisUs / 1e3 / CALLS);
  }
}
