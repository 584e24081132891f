package dev.jobq.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.JobContext;
import dev.jobq.JobHandler;
import dev.jobq.RetryPolicy;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.spi.Broker;
import dev.jobq.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import redis.clients.jedis.RedisClient;

/**
 * A worker JVM of the chaos tests ({@link Fleet} starts it). Args: the broker's Redis URL (maybe
 * through a {@link dev.jobq.redis.RedisProxy}), the ledger's Redis URL (always direct), key
 * prefix, queue (several with commas between, served with equal weights so that none starves),
 * concurrency, lease ms, host clock offset ms, worker name.
 *
 * <p>Its handler {@value #TYPE} writes to the {@link Ledger}: a run at every start (with Redis's
 * time), a completion in {@code onSuccess}, which the worker calls only once Redis accepted the
 * completion. Payload: {@code ms} to work; {@code poison} to misbehave instead: {@code oom} (a
 * real OutOfMemoryError), {@code stack} (a real StackOverflowError), {@code deaf} (never returns,
 * ignores interrupts), {@code exit} (System.exit, the JVM is gone).
 *
 * <p>It halts when the test JVM that started it dies, so that no worker outlives a test run.
 */
public final class ChaosWorker {
  static final String TYPE = "chaos.work";

  private ChaosWorker() {}

  public static void main(String[] args) {
    String brokerUrl = args[0];
    String ledgerUrl = args[1];
    String prefix = args[2];
    String queue = args[3];
    int concurrency = Integer.parseInt(args[4]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
    Clock hostClock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[6])));
    String me = args[7];
    ProcessHandle.current().parent().ifPresent(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    int code;
    try (Broker broker = RedisBroker.connect(RedisConfig.builder().url(brokerUrl).prefix(prefix)
            .hostClock(hostClock).build());
        RedisClient ledgerRedis = RedisClient.create(ledgerUrl)) {
      Ledger ledger = new Ledger(ledgerRedis, prefix);
      Worker.Builder builder = Worker.builder(broker);
      if (queue.contains(",")) {
        builder.weightedQueues(Arrays.stream(queue.split(","))
            .collect(Collectors.toMap(q -> q, q -> 1, (a, b) -> a, LinkedHashMap::new)));
      } else {
        builder.queues(queue);
      }
      Worker worker = builder
          .concurrency(concurrency)
          .lease(lease)
          .shutdownGrace(Duration.ofSeconds(2))
          .retryPolicy(new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(100))))
          .name(me)
          .handler(TYPE, new Work(ledger, me))
          .build();
      code = worker.runUntilSignalled();
    }
    System.out.println("worker " + me + " exits with " + code);
    System.exit(code);
  }

  private record Work(Ledger ledger, String me) implements JobHandler {
    @Override
    public Object handle(JobContext ctx) throws Exception {
      ledger.recordRun(ctx.id());
      JsonNode p = ctx.payloadTree();
      switch (p.path("poison").asText("")) {
        case "oom" -> exhaustHeap();
        case "stack" -> recurse(0);
        case "deaf" -> ignoreInterruptsForever();
        case "exit" -> System.exit(7);
        default -> Thread.sleep(p.path("ms").asLong());
      }
      return me;
    }

    @Override
    public void onSuccess(JobContext ctx, Object result) {
      ledger.recordCompletion(ctx.id());
    }
  }

  /** A real one: the JVM refuses the allocation, the heap is untouched. */
  private static void exhaustHeap() {
    Consumer<long[]> keep = a -> { };
    keep.accept(new long[Integer.MAX_VALUE - 2]);
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  @SuppressWarnings("InfiniteLoopStatement")
  private static void ignoreInterruptsForever() {
    while (true) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException ignored) {
        // deaf on purpose
      }
    }
  }
}
