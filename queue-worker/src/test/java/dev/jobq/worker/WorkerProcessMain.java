package dev.jobq.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.RetryPolicy;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.spi.Broker;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * A worker JVM for the multi-process tests ({@link WorkerProcesses} starts it). Args: redis url,
 * key prefix, queue, concurrency, lease ms, shutdown grace ms, worker name.
 *
 * <p>Its handler {@code test.work} records every start in {@code <prefix>:runs} ("id attempt
 * worker") and every finish in {@code <prefix>:done} ("id worker"). Payload: {@code ms} to sleep
 * on the first attempt, {@code retryMs} on later ones; {@code "gate": true} to wait first until
 * the test pushes to {@code <prefix>:gate:<id>}; {@code "fail": true} to throw at the end. Its
 * result is the worker's name. The built-in handlers ({@code jobq.sleep}, …) are there too.
 *
 * <p>It halts when the test JVM that started it dies, so that no worker outlives a test run.
 */
public final class WorkerProcessMain {
  static final String TYPE = "test.work";
  private static final Duration GATE_WAIT = Duration.ofSeconds(60);

  private WorkerProcessMain() {}

  public static void main(String[] args) {
    String url = args[0];
    String prefix = args[1];
    String me = args[6];
    ProcessHandle.current().parent().ifPresent(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    int code;
    try (Broker broker = RedisBroker.connect(RedisConfig.builder().url(url).prefix(prefix).build());
        RedisClient redis = RedisClient.create(url)) {
      Worker worker = Worker.builder(broker)
          .queues(args[2])
          .concurrency(Integer.parseInt(args[3]))
          .lease(Duration.ofMillis(Long.parseLong(args[4])))
          .shutdownGrace(Duration.ofMillis(Long.parseLong(args[5])))
          .retryPolicy(new RetryPolicy(3, Backoff.fixed(Duration.ofMillis(100))))
          .name(me)
          .handler(TYPE, ctx -> {
            redis.rpush(prefix + ":runs", ctx.id() + " " + ctx.attempt() + " " + me);
            JsonNode p = ctx.payloadTree();
            if (p.path("gate").asBoolean()) {
              if (redis.blpop((int) GATE_WAIT.toSeconds(), prefix + ":gate:" + ctx.id()) == null) {
                throw new IllegalStateException("the test never opened the gate of " + ctx.id());
              }
            }
            Thread.sleep(ctx.attempt() == 1 ? p.path("ms").asLong() : p.path("retryMs").asLong());
            if (p.path("fail").asBoolean()) {
              throw new IllegalStateException("failing on purpose on " + me);
            }
            redis.rpush(prefix + ":done", ctx.id() + " " + me);
            return me;
          })
          .build();
      code = worker.runUntilSignalled();
    }
    System.out.println("worker " + me + " exits with " + code);
    System.exit(code);
  }
}
