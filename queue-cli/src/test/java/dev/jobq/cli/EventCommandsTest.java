package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** events and watch. */
class EventCommandsTest {
  private static final Duration LEASE = Duration.ofMinutes(1);
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void eventsPrintsTheNewestEventsOfEveryQueueOldestFirst() {
    List<String> done = Jobs.completed(cli, "a", 1);
    List<String> dead = Jobs.failed(cli, "b", 1);

    Cli.Result r = cli.run("events");
    Cli.Result one = cli.run("events", "--queue", "b", "--job", dead.get(0), "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).contains("  a  " + done.get(0) + "  enqueued  status=WAITING");
    assertThat(lines.get(2)).contains(done.get(0) + "  completed");
    assertThat(lines.get(5)).contains(dead.get(0) + "  failed  attempt=1 error=java.lang"
        + ".IllegalStateException: boom");
    assertThat(lines.get(6)).contains(dead.get(0) + "  dead-lettered");
    List<JsonNode> json = one.out().lines().map(Json::tree).toList();
    assertThat(json).extracting(j -> j.get("event").asText())
        .containsExactly("enqueued", "started", "failed", "dead-lettered");
    assertThat(json.get(1).get("details").get("worker").asText()).isEqualTo("test-worker");
    assertThat(json.get(1).get("queue").asText()).isEqualTo("b");
  }

  @Test
  void eventsFollowPrintsNewEventsAsTheyHappen() throws Exception {
    Jobs.waiting(cli, "q", 1);
    CompletableFuture<Cli.Result> follow = CompletableFuture.supplyAsync(
        () -> cli.run("events", "--queue", "q", "--last", "0", "--follow", "--count", "2"));
    // the command is following once its cursor exists; events from then on must all show
    await().atMost(Duration.ofSeconds(10)).until(() -> connectedFollowers() > 0);
    String id = cli.client().enqueue(JobRequest.builder("x").queue("q").build()).jobId();
    cli.client().cancel("q", id);

    Cli.Result r = follow.get();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).satisfiesExactly(
        l -> assertThat(l).contains(id + "  enqueued"),
        l -> assertThat(l).contains(id + "  cancelled"));
  }

  /** Clients blocked in XREAD on the test Redis: the follower, once it reads. */
  private long connectedFollowers() {
    try (var jedis = new redis.clients.jedis.Jedis(java.net.URI.create(
        dev.jobq.redis.TestRedis.shared().url()))) {
      return jedis.clientList().lines().filter(l -> l.contains("cmd=xread")).count();
    }
  }

  @Test
  void watchFollowsAJobUntilItCompletesAndExitsZero() throws Exception {
    String id = Jobs.waiting(cli, "q", 1).get(0);
    CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(
        () -> cli.run("watch", id, "--timeout", "30s"));
    await().atMost(Duration.ofSeconds(10)).until(() -> connectedFollowers() > 0);
    RedisBroker broker = cli.broker();
    Job j = broker.claim("q", "w9", 1, LEASE).get(0);
    broker.progress("q", id, j.token(), "{\"done\":1,\"total\":2}");
    broker.complete("q", id, j.token(), "{\"pages\":12}");

    Cli.Result r = watch.get();
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).satisfiesExactly(
        l -> assertThat(l).isEqualTo(id + " in queue q: waiting"),
        l -> assertThat(l).contains("started  attempt=1 worker=w9"),
        l -> assertThat(l).contains("progress  progress={\"done\":1,\"total\":2}"),
        l -> assertThat(l).contains("completed"),
        l -> assertThat(l).isEqualTo(id + " completed"),
        l -> assertThat(l).isEqualTo("result: {\"pages\":12}"));
  }

  @Test
  void watchExitCodesSayHowTheJobEnded() {
    String dead = Jobs.failed(cli, "q", 1).get(0);
    String cancelled = Jobs.waiting(cli, "q", 1).get(0);
    cli.client().cancel("q", cancelled);
    String waiting = Jobs.waiting(cli, "q", 1).get(0);

    Cli.Result failed = cli.run("watch", dead);
    Cli.Result wasCancelled = cli.run("watch", cancelled, "--json");
    Cli.Result timedOut = cli.run("watch", waiting, "--timeout", "300ms");
    Cli.Result unknown = cli.run("watch", "no-such-job");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
    assertThat(failed.out()).contains(dead + " failed", "error: java.lang.IllegalStateException: boom");
    assertThat(wasCancelled.exitCode()).isEqualTo(4);
    assertThat(wasCancelled.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(timedOut.exitCode()).as(timedOut.toString()).isEqualTo(5);
    assertThat(timedOut.err()).contains("job " + waiting + " is still waiting after");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no job with id 'no-such-job'");
  }
}
