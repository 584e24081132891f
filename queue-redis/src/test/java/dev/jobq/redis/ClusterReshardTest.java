package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobStatus;
import dev.jobq.Schedule;
import dev.jobq.spi.WorkerBroker.Completion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A queue's slot moved between masters of a real cluster while a broker uses the queue, one
 * key at a time as {@code redis-cli --cluster reshard} moves it ({@link SlotMove}). Half-way,
 * the old master answers ASK or TRYAGAIN; the broker's calls wait for the move to end and then
 * run once, on the new master.
 */
class ClusterReshardTest {
  private static TestCluster cluster;
  private String prefix;
  private RedisBroker broker;
  private String queue;
  private Keys keys;
  private int to;
  private SlotMove move;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void connect() {
    prefix = TestRedis.uniquePrefix();
    broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix).build());
    Map<String, Integer> queues = cluster.queuePerMaster(prefix);
    queue = queues.keySet().iterator().next();
    keys = new Keys(prefix, queue);
    to = queues.values().stream().filter(p -> !p.equals(queues.get(queue))).findFirst()
        .orElseThrow();
    move = null;
  }

  @AfterEach
  void close() {
    if (move != null) {
      move.finish(); // a move left half-way would refuse the next test's queue too
    }
    broker.close();
  }

  @Test
  void aClaimRefusedWhileTheSlotIsHalfMovedRunsOnceTheMoveEnds() throws Exception {
    broker.enqueue(List.of(job("t").queue(queue).build()));
    String id = broker.enqueue(List.of(job("t").queue(queue).build())).get(0).jobId();
    move = cluster.startMove(prefix, queue, to);
    move.moveKey(keys.jobs()); // the jobs on the new master, the wait lists on the old

    long before = move.refusals();
    CompletableFuture<List<Job>> claim = CompletableFuture.supplyAsync(
        () -> broker.claim(queue, "w1", 10, Duration.ofSeconds(30), null));
    await().atMost(Duration.ofSeconds(4)).until(() -> move.refusals() > before + 1);
    assertThat(claim).as("a claim while the queue's keys are split").isNotDone();
    move.finish();

    List<Job> claimed = claim.get(10, TimeUnit.SECONDS);
    assertThat(claimed).hasSize(2).extracting(Job::id).contains(id);
    assertThat(broker.claim(queue, "w2", 10, Duration.ofSeconds(30), null)).isEmpty();
    broker.completeAll(queue, claimed.stream().map(j -> new Completion(j.id(), j.token(), null))
        .toList());
    assertThat(broker.stats(queue).totalCompleted()).isEqualTo(2);
    try (Jedis node = cluster.node(move.toPort())) {
      assertThat(node.hexists(keys.jobs(), id)).as("job on the new master").isTrue();
    }
  }

  @Test
  void aJobReadWhileItsHashMovedIsAskedForOnTheNewMaster() {
    String id = broker.enqueue(List.of(job("t").queue(queue).build())).get(0).jobId();
    move = cluster.startMove(prefix, queue, to);
    move.moveKey(keys.jobs());

    assertThat(broker.get(queue, id)).get().extracting(Job::status).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void aMoveThatHangsHalfWayIsAnOutageOfItsQueueAndWritesNothing() {
    broker.enqueue(List.of(job("t").queue(queue).build()));
    move = cluster.startMove(prefix, queue, to);
    move.moveKey(keys.jobs());

    assertThatThrownBy(() -> broker.enqueue(List.of(job("t").queue(queue).id("late").build())))
        .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("TRYAGAIN");
    move.finish();
    move = null;
    assertThat(broker.get(queue, "late")).isEmpty();
    assertThat(broker.stats(queue).waiting().values().stream().mapToLong(n -> n).sum())
        .isEqualTo(1);
  }

  @Test
  void anIdleWaitOnAQueueWhoseSlotMovedWakesOnTheNewMaster() throws Exception {
    int from = cluster.portOfQueue(prefix, queue);
    broker.enqueue(List.of(job("t").queue(queue).build()));
    broker.claim(queue, "w1", 1, Duration.ofSeconds(30), null);
    assertThat(broker.awaitWork(List.of(queue), Duration.ofMillis(10))).as("its wake-up").isTrue();
    CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
      try {
        return broker.awaitWork(List.of(queue), Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients(from) > 0);

    cluster.moveQueue(prefix, queue, to); // the old master answers the wait MOVED
    broker.enqueue(List.of(job("t").queue(queue).build()));

    assertThat(woke.get(15, TimeUnit.SECONDS)).as("woken, not timed out").isTrue();
  }

  @Test
  void aResumeSentWithTheOldSlotMapFollowsMovedToTheNewMaster() {
    broker.enqueue(List.of(job("t").queue(queue).build()));
    broker.pause(queue);
    cluster.moveQueue(prefix, queue, to); // the broker still thinks the old master serves it

    broker.resume(queue); // a pipeline: the old master answers each of its commands MOVED

    try (Jedis node = cluster.node(to)) {
      assertThat(node.hget(keys.meta(), "paused")).as("paused on the new master").isEqualTo("0");
    }
    assertThat(broker.claim(queue, "w1", 1, Duration.ofSeconds(30), null)).hasSize(1);
  }

  @Test
  void aScheduleAddedWhileTheSlotIsHalfMovedIsStoredOnceTheMoveEnds() throws Exception {
    broker.enqueue(List.of(job("t").queue(queue).build()));
    move = cluster.startMove(prefix, queue, to);
    move.moveKey(keys.jobs());

    long before = move.refusals();
    CompletableFuture<Void> put = CompletableFuture.runAsync(() -> broker.putSchedule(
        Schedule.every("beat", Duration.ofSeconds(10), job("t").queue(queue))));
    await().atMost(Duration.ofSeconds(4)).until(() -> put.isDone() || move.refusals() > before);
    assertThat(move.refusals()).as("the schedule's write refused while the slot is half-way")
        .isGreaterThan(before);
    move.finish();
    move = null;

    put.get(10, TimeUnit.SECONDS);
    assertThat(broker.schedules(queue)).singleElement()
        .satisfies(p -> assertThat(p.schedule().name()).isEqualTo("beat"));
  }

  private static long blockedClients(int port) {
    try (Jedis node = cluster.node(port)) {
      String info = node.info("clients");
      return Long.parseLong(info.replaceAll("(?s).*blocked_clients:(\\d+).*", "$1"));
    }
  }
}
