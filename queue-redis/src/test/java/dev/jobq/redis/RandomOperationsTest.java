package dev.jobq.redis;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of operations on a Redis of the test's own, checked after every step against
 * what docs/PROTOCOL.md guarantees ({@link ModelRun}, {@link ModelChecks}). Seeded: a failure
 * prints its seed, the steps that led there and how to replay them.
 *
 * <p>{@code -Djobq.model.seed=S} replays one sequence; {@code -Djobq.model.steps=N} is the number
 * of steps in all (in sequences of {@value #SEQUENCE} steps, each on a fresh prefix), or, with a
 * seed, the length of that one sequence; {@code -Djobq.model.skip=restart,resend,replace,badBatch}
 * leaves operations out (to look past a failure that is known).
 */
class RandomOperationsTest {
  /** About 50 s on a 2-core machine (6,000 steps took 20 s with every operation). */
  static final int DEFAULT_STEPS = 15_000;
  static final int SEQUENCE = 300;
  private static final int STEPS_SHOWN = 80;

  private static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void randomOperationsKeepTheProtocolsPromises() {
    Long seed = Long.getLong("jobq.model.seed");
    int steps = Integer.getInteger("jobq.model.steps", seed == null ? DEFAULT_STEPS : SEQUENCE);
    Set<String> skipped = Arrays.stream(System.getProperty("jobq.model.skip", "").split(","))
        .filter(s -> !s.isBlank()).collect(Collectors.toSet());
    if (seed != null) {
      runSequence(seed, steps, skipped);
      return;
    }
    SplittableRandom seeds = new SplittableRandom();
    for (int done = 0; done < steps; done += SEQUENCE) {
      runSequence(seeds.nextLong(), Math.min(SEQUENCE, steps - done), skipped);
    }
  }

  private static void runSequence(long seed, int steps, Set<String> skipped) {
    try (ModelRun run = new ModelRun(redis, seed, skipped)) {
      for (int i = 0; i < steps; i++) {
        try {
          run.step();
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(failure(run, i + 1, skipped, e), e);
        }
      }
    }
  }

  private static String failure(ModelRun run, int step, Set<String> skipped, Throwable e) {
    List<String> steps = run.steps;
    String replay = "-Djobq.model.seed=" + run.seed + " -Djobq.model.steps=" + step
        + (skipped.isEmpty() ? "" : " -Djobq.model.skip=" + String.join(",", skipped));
    return "seed " + run.seed + ", step " + step + ": " + e.getMessage()
        + "\nreplay with " + replay + "\nthe last steps:\n  "
        + String.join("\n  ", steps.subList(Math.max(0, steps.size() - STEPS_SHOWN), steps.size()));
  }
}
