package dev.jobq.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Broker;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * A worker JVM for the multi-process tests. Args: redis url, key prefix, queue, concurrency,
 * lease ms, shutdown grace ms, worker name. Its handler {@code test.work} records every start in
 * {@code <prefix>:runs} ("id attempt worker") and every finish in {@code <prefix>:done}
 * ("id worker"), and sleeps {@code ms} on the first attempt, {@code retryMs} on later ones; with
 * {@code "fail": true} it throws after sleeping. Its result is the worker's name.
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) {
    String url = args[0];
    String prefix = args[1];
    String me = args[6];
    int code;
    try (Broker broker = RedisBroker.connect(RedisConfig.builder().url(url).prefix(prefix).build());
        RedisClient redis = RedisClient.create(url)) {
      Worker worker = Worker.builder(broker)
          .queues(args[2])
          .concurrency(Integer.parseInt(args[3]))
          .lease(Duration.ofMillis(Long.parseLong(args[4])))
          .shutdownGrace(Duration.ofMillis(Long.parseLong(args[5])))
          .name(me)
          .handler("test.work", ctx -> {
            redis.rpush(prefix + ":runs", ctx.id() + " " + ctx.attempt() + " " + me);
            JsonNode p = ctx.payloadTree();
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
