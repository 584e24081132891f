package dev.jobq.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.EnqueueResult;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.QueueStats;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Scenario: a Redis Cluster of three masters with a replica each; a producer per queue enqueues
 * onto a queue on each master through the cluster URL, two worker JVMs serve all three queues,
 * and one master (the seed picks which) is killed with SIGKILL mid-run. Its replica is promoted
 * and work goes on. Replication is asynchronous, so the killed master's last acknowledged writes
 * may be missing on the replica: the scenario counts per job what was lost (acknowledged, then
 * gone) and what ran twice, and asserts what holds whatever replication lost (see {@link
 * #assertWhatAFailoverCannotBreak}). The ledger lives in the scenario's own redis-server, outside
 * the cluster.
 */
class ClusterMasterKillTest extends ChaosScenario {
  private static final int BATCH = 5;
  /**
   * A producer holds back while its queue has this many jobs waiting or running, so that the
   * workers keep up however loaded the machine is, and the drain after the failover is short.
   */
  private static final int MAX_BACKLOG = 100;
  /** Longer than a failover (2 s node timeout, then the election): see the survivors' promise. */
  private static final long LEASE_MS = 10_000;
  private static final List<String> WORKERS = List.of("a", "b");
  private static final Pattern RESENT = Pattern.compile("(\\d+) of \\d+ outcomes sent again");

  private TestCluster cluster;
  private RedisBroker viaCluster;
  private JobClient producer;
  /** Queue name to the port of the master that held it at the start. */
  private Map<String, Integer> masterOf;
  /** Job id to System.nanoTime() of the enqueue call that Redis acknowledged. */
  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicReference<RuntimeException> producerFailure = new AtomicReference<>();
  private volatile boolean stop;

  @BeforeEach
  void startCluster() {
    cluster = TestCluster.withReplicas();
    masterOf = cluster.queuePerMaster(prefix);
    viaCluster = RedisBroker.connect(RedisConfig.builder().url(cluster.url()).prefix(prefix)
        .build());
    producer = JobClient.create(viaCluster);
    fleet.close(); // the scenario's fleet serves one queue; this one serves the three
    fleet = new Fleet(redis.url(), prefix, String.join(",", masterOf.keySet()));
  }

  @AfterEach
  void stopCluster() {
    stop = true;
    fleet.close(); // before the cluster goes, so that no worker logs its end as an outage
    viaCluster.close();
    cluster.close();
  }

  @Test
  void aKilledMastersReplicaTakesOverAndOnlyItsLastAcknowledgedJobsCanBeLost() throws Exception {
    Outcome o = killAMasterMidRun(false);
    report(o, "");
  }

  /**
   * The same with the killed master's replica cut off first (its link down, as a network fault
   * between the two would make it) while the master goes on acknowledging: what replication lag
   * costs, made certain. The jobs acknowledged meanwhile are lost, completions accepted
   * meanwhile too (those jobs run again), and sending every request again re-creates the lost.
   */
  @Test
  void aMasterKilledWhileItsReplicaWasCutOffLosesWhatItAcknowledgedMeanwhile() throws Exception {
    Outcome o = killAMasterMidRun(true);
    assertThat(o.lost()).as("jobs acknowledged while the replica was cut off, lost").isNotEmpty();
    report(o, "replica cut off " + (o.killedAt() - o.cutAt()) / 1_000_000
        + " ms before the kill; ");
  }

  /** What a run measured. */
  private record Outcome(String victim, Map<String, Long> beforeKill, long cutAt, long killedAt,
      long promotedAt, Set<String> lost, Map<String, Long> runs, Map<String, Long> completions) {}

  private Outcome killAMasterMidRun(boolean cutReplicaFirst) throws Exception {
    for (String w : WORKERS) {
      fleet.launch(w, new Fleet.Setup(cluster.url(), 4, LEASE_MS, 0));
    }
    await().atMost(Duration.ofSeconds(90))
        .until(() -> viaCluster.workers().size() == WORKERS.size());
    List<Thread> producers = new ArrayList<>();
    for (String q : masterOf.keySet()) {
      Thread t = new Thread(() -> produce(q), "producer-" + q);
      t.start();
      producers.add(t);
    }
    int perQueue = 60 * SCALE;
    await().atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> masterOf.keySet().stream().allMatch(q -> acked(q) >= perQueue
            && viaCluster.stats(q).completed() >= perQueue / 2));

    String victim = List.copyOf(masterOf.keySet()).get(random.nextInt(masterOf.size()));
    int victimPort = masterOf.get(victim);
    long cutAt = 0;
    if (cutReplicaFirst) {
      cutAt = cutReplicaOff(victimPort);
      long ackedAtCut = acked(victim);
      await().atMost(Duration.ofSeconds(90)).until(() -> acked(victim) >= ackedAtCut + 4 * BATCH);
    }
    cluster.kill(victimPort);
    long killedAt = System.nanoTime();
    Map<String, Long> beforeKill = Map.copyOf(ackedAt);
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> cluster.portOfQueue(prefix, victim) != victimPort);
    long promotedAt = System.nanoTime();
    long victimAtPromotion = acked(victim);
    await().atMost(Duration.ofSeconds(90))
        .until(() -> acked(victim) >= victimAtPromotion + perQueue / 2);
    stop = true;
    for (Thread t : producers) {
      t.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(t.isAlive()).as("%s done", t.getName()).isFalse();
    }
    assertThat(producerFailure.get()).as("what a producer met besides outages").isNull();
    await().atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> masterOf.keySet().stream().allMatch(this::drained));

    Map<String, JobStatus> status = statuses(ackedAt.keySet());
    Set<String> lost = status.keySet().stream().filter(id -> status.get(id) == null)
        .collect(Collectors.toSet());
    Map<String, Long> runs = ledger.runs();
    Map<String, Long> completions = ledger.completions();
    assertWhatAFailoverCannotBreak(victim, beforeKill, promotedAt, status, lost, runs, completions);

    Set<String> created = enqueueAgain(ackedAt.keySet());
    assertThat(created).as("jobs created again by sending every acknowledged request again")
        .containsExactlyInAnyOrderElementsOf(lost);
    await().atMost(Duration.ofSeconds(90))
        .ignoreExceptionsInstanceOf(BrokerUnavailableException.class)
        .until(() -> statuses(created).values().stream().allMatch(s -> s == JobStatus.COMPLETED));
    for (String w : WORKERS) {
      assertThat(fleet.process(w).isAlive()).as("worker %s alive", w).isTrue();
    }
    for (String q : masterOf.keySet()) {
      assertThat(viaCluster.tools().doctor(q, false).findings()).as("doctor of %s", q).isEmpty();
    }
    return new Outcome(victim, beforeKill, cutAt, killedAt, promotedAt, lost, runs, completions);
  }

  /**
   * Cuts the master's replica off: a wrong {@code masterauth} makes each reconnect fail, and
   * the link is closed. Returns when the replica says its link is down. Short of the
   * replica-validity limit (ten node timeouts), a replica cut off still wins the election.
   */
  private long cutReplicaOff(int masterPort) {
    int replica = cluster.ports().stream().filter(p -> p != masterPort)
        .filter(p -> replicationInfo(p).contains("master_port:" + masterPort)).findFirst()
        .orElseThrow(() -> new AssertionError("no replica of the master on " + masterPort));
    try (Jedis j = cluster.node(replica)) {
      j.configSet("masterauth", "cut-off-by-the-test");
      j.clientKill(new ClientKillParams().type(ClientType.MASTER));
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> replicationInfo(replica).contains("master_link_status:down"));
    return System.nanoTime();
  }

  private String replicationInfo(int port) {
    try (Jedis j = cluster.node(port)) {
      return j.info("replication");
    }
  }

  private void report(Outcome o, String cut) {
    long windowMs = o.lost().stream().mapToLong(id -> o.killedAt() - o.beforeKill().get(id)).max()
        .orElse(0) / 1_000_000;
    List<String> ofVictim = ids(ackedAt.keySet(), o.victim());
    int beforeOnVictim = ids(o.beforeKill().keySet(), o.victim()).size();
    report(ackedAt.size(), "Cluster master kill -9 (3 masters + 3 replicas, 2 workers on 3"
        + " queues, " + LEASE_MS / 1000 + " s leases) after " + o.beforeKill().size()
        + " acknowledged enqueues (" + beforeOnVictim + " on its queue); " + cut
        + "replica promoted in " + (o.promotedAt() - o.killedAt()) / 1_000_000 + " ms; "
        + o.lost().size() + " acknowledged jobs lost (the oldest acknowledged " + windowMs
        + " ms before the kill), all created again by a resend; on its queue "
        + twice(ofVictim, o.runs()) + " ran twice, " + twice(ofVictim, o.completions())
        + " completions heard twice, " + resentAndRestored() + " completions restored by the"
        + " workers' resend; 0 lost or twice on the 2 other masters; " + refused.get()
        + " enqueue calls refused during the failover; " + (ofVictim.size() - beforeOnVictim)
        + " enqueued on its queue after the kill, all completed");
  }

  /**
   * What holds whatever asynchronous replication lost. On the masters that lived, every
   * acknowledged job completed, its handler ran once and its completion was heard once (their
   * leases outlast the failover). On the killed master's queue, every acknowledged job completed
   * or is gone, and only jobs acknowledged before the kill can be gone; jobs acknowledged after
   * the promotion ran once. Every queue's completion counter equals its completed jobs: in the
   * history that survived, Redis accepted one outcome per job. Every completed job ran.
   */
  private void assertWhatAFailoverCannotBreak(String victim, Map<String, Long> beforeKill,
      long promotedAt, Map<String, JobStatus> status, Set<String> lost, Map<String, Long> runs,
      Map<String, Long> completions) {
    assertThat(status).as("acknowledged jobs neither completed nor gone (seed %d)", SEED)
        .allSatisfy((id, s) -> assertThat(s).isIn(JobStatus.COMPLETED, null));
    assertThat(lost).as("lost jobs: of the killed master, acknowledged before the kill")
        .allSatisfy(id -> {
          assertThat(queueOf(id)).isEqualTo(victim);
          assertThat(beforeKill).containsKey(id);
        });
    for (String id : status.keySet()) {
      boolean survivor = !queueOf(id).equals(victim);
      // nanoTime values may wrap: compare their difference
      if (survivor || ackedAt.get(id) - promotedAt > 0) {
        assertThat(runs.get(id)).as("runs of %s (survivor %s)", id, survivor).isEqualTo(1);
        assertThat(completions.get(id)).as("completions heard of %s", id).isEqualTo(1);
      } else if (status.get(id) == JobStatus.COMPLETED) {
        assertThat(runs.get(id)).as("runs of completed %s", id).isPositive();
      }
    }
    for (String q : masterOf.keySet()) {
      long completed = ids(status.keySet(), q).stream()
          .filter(id -> status.get(id) == JobStatus.COMPLETED).count();
      assertThat(viaCluster.stats(q).totalCompleted()).as("completions %s accepted", q)
          .isEqualTo(completed);
    }
  }

  /**
   * Batches with ids of their own, each sent again (same ids) until Redis acknowledges it, a
   * batch every 25 ms or, when the workers fall behind, once the backlog went down.
   */
  private void produce(String q) {
    try {
      for (int b = 0; !stop; b++) {
        while (!stop && backlog(q) >= MAX_BACKLOG) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25)); // polls the backlog
        }
        List<JobRequest> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          batch.add(work(2 + random.nextInt(4)).queue(q).id(q + "-" + b + "-" + i).build());
        }
        enqueueUntilAcknowledged(producer, batch, ackedAt, refused, () -> stop);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25)); // spreads the enqueues
      }
    } catch (RuntimeException e) {
      producerFailure.set(e);
      throw e;
    }
  }

  /** Sends every request again with its id, as docs/RELIABILITY.md says to after a failover. */
  private Set<String> enqueueAgain(Set<String> ids) {
    Set<String> created = new HashSet<>();
    for (String q : masterOf.keySet()) {
      List<String> ofQueue = ids(ids, q);
      for (int from = 0; from < ofQueue.size(); from += 500) {
        List<JobRequest> batch = ofQueue.subList(from, Math.min(ofQueue.size(), from + 500))
            .stream().map(id -> work(2).queue(q).id(id).build()).toList();
        producer.enqueueAll(batch).stream().filter(EnqueueResult::created)
            .forEach(r -> created.add(r.jobId()));
      }
    }
    return created;
  }

  /** Jobs waiting or running; none while the queue's master is away (the enqueue will say). */
  private long backlog(String q) {
    try {
      QueueStats s = viaCluster.stats(q);
      return s.waitingTotal() + s.active();
    } catch (BrokerUnavailableException e) {
      return 0;
    }
  }

  private boolean drained(String q) {
    QueueStats s = viaCluster.stats(q);
    return s.waitingTotal() + s.delayed() + s.active() + s.blocked() == 0;
  }

  /** Each job's status, null for a job Redis does not have. */
  private Map<String, JobStatus> statuses(Set<String> ids) {
    Map<String, JobStatus> status = new HashMap<>();
    for (String id : ids) {
      status.put(id, viaCluster.get(queueOf(id), id).map(Job::status).orElse(null));
    }
    return status;
  }

  /** The completions workers logged as lost by Redis and recorded again by their resend. */
  private int resentAndRestored() {
    int n = 0;
    for (String w : WORKERS) {
      Matcher m = RESENT.matcher(fleet.log(w));
      while (m.find()) {
        n += Integer.parseInt(m.group(1));
      }
    }
    return n;
  }

  private long acked(String q) {
    return ackedAt.keySet().stream().filter(id -> id.startsWith(q + "-")).count();
  }

  private static List<String> ids(Set<String> ids, String q) {
    return ids.stream().filter(id -> queueOf(id).equals(q)).toList();
  }

  private static long twice(List<String> ids, Map<String, Long> counts) {
    return ids.stream().filter(id -> counts.getOrDefault(id, 0L) > 1).count();
  }

  private static String queueOf(String id) {
    return id.substring(0, id.indexOf('-'));
  }
}
