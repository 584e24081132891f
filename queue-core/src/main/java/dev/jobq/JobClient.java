package dev.jobq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What producers and operators use: enqueue, look up, repair. Every request is checked before
 * anything is written; a refused call throws {@link InvalidJobException} and writes nothing.
 *
 * <pre>{@code
 * try (Broker broker = RedisBroker.connect("redis://localhost:6379")) {
 *   JobClient client = JobClient.create(broker);
 *   EnqueueResult r = client.enqueue(JobRequest.builder("email.send").payload(json).build());
 * }
 * }</pre>
 */
public final class JobClient {
  /** The largest payload accepted unless configured otherwise: 512 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;
  /** The most jobs one batch may hold. */
  public static final int MAX_BATCH = 10_000;

  private final Broker broker;
  private final int maxPayloadBytes;

  private JobClient(Broker broker, int maxPayloadBytes) {
    this.broker = Objects.requireNonNull(broker, "broker");
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException("maxPayloadBytes < 1: " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public static JobClient create(Broker broker) {
    return new JobClient(broker, DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** A client that refuses payloads over {@code maxPayloadBytes} UTF-8 bytes. */
  public static JobClient create(Broker broker, int maxPayloadBytes) {
    return new JobClient(broker, maxPayloadBytes);
  }

  public Broker broker() {
    return broker;
  }

  public EnqueueResult enqueue(JobRequest request) {
    return enqueueAll(List.of(request)).get(0);
  }

  /**
   * Enqueues jobs that depend on one another ({@link JobRequest.Builder#dependsOn}) in one
   * atomic batch. Checks first, writing nothing if any check fails: the jobs share one queue
   * (parents and children must: a queue is one Cluster slot), no id appears twice, and the
   * dependencies have no cycle. Parents are written before their children; a parent outside the
   * graph must already be in the queue. Results come in the order of {@code requests}.
   */
  public List<EnqueueResult> enqueueGraph(List<JobRequest> requests) {
    Map<String, JobRequest> byId = new LinkedHashMap<>();
    JobRequest first = requests.isEmpty() ? null : requests.get(0);
    for (JobRequest r : requests) {
      if (!r.queue().equals(first.queue())) {
        throw new InvalidJobException("a graph lives in one queue: job " + r.id() + " is in '"
            + r.queue() + "', job " + first.id() + " in '" + first.queue() + "'");
      }
      if (byId.put(r.id(), r) != null) {
        throw new InvalidJobException("job id " + r.id() + " appears twice in the graph");
      }
    }
    List<JobRequest> parentsFirst = new ArrayList<>(requests.size());
    Map<String, Boolean> done = new HashMap<>(); // false while on the path being visited
    for (String id : byId.keySet()) {
      visit(id, byId, done, new ArrayList<>(), parentsFirst);
    }
    Map<String, EnqueueResult> results = new HashMap<>();
    for (EnqueueResult r : enqueueAll(parentsFirst)) {
      results.put(r.jobId(), r);
    }
    return requests.stream().map(r -> results.get(r.id())).toList();
  }

  /** Depth first: a job's parents in the graph before the job; a job met again on its own path is a cycle. */
  private static void visit(String id, Map<String, JobRequest> graph, Map<String, Boolean> done,
      List<String> path, List<JobRequest> out) {
    JobRequest job = graph.get(id);
    Boolean state = done.get(id);
    if (job == null || Boolean.TRUE.equals(state)) {
      return;
    }
    path.add(id);
    if (Boolean.FALSE.equals(state)) {
      List<String> cycle = path.subList(path.indexOf(id), path.size());
      throw new InvalidJobException("the dependencies form a cycle: " + String.join(" -> ", cycle)
          + "; nothing was enqueued");
    }
    done.put(id, false);
    for (String parent : job.dependsOn()) {
      visit(parent, graph, done, path, out);
    }
    done.put(id, true);
    path.remove(path.size() - 1);
    out.add(job);
  }

  /**
   * Enqueues a batch in one round trip per queue. The whole batch is checked first: one bad
   * request refuses the batch and nothing is written.
   */
  public List<EnqueueResult> enqueueAll(List<JobRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    if (requests.size() > MAX_BATCH) {
      throw new InvalidJobException(
          "batch of " + requests.size() + " jobs is over the limit of " + MAX_BATCH + ": split it");
    }
    for (int i = 0; i < requests.size(); i++) {
      JobRequest r = Objects.requireNonNull(requests.get(i), "request " + i);
      try {
        Json.checkPayload(r.payload(), maxPayloadBytes);
      } catch (InvalidJobException e) {
        throw new InvalidJobException(
            (requests.size() > 1 ? "job " + i + " (" + r.id() + "): " : "") + e.getMessage());
      }
    }
    return broker.enqueue(requests);
  }

  public Optional<Job> get(String queue, String id) {
    return broker.get(Names.checkQueue(queue), Names.checkJobId(id));
  }

  /** Looks for the id in every known queue. */
  public Optional<Job> find(String id) {
    return broker.find(Names.checkJobId(id));
  }

  /** Like {@link #get} but throws {@link JobNotFoundException} when there is no such job. */
  public Job require(String queue, String id) {
    return get(queue, id).orElseThrow(() -> new JobNotFoundException(queue, id));
  }

  public JobPage list(String queue, JobStatus status, long offset, int limit) {
    if (offset < 0) {
      throw new InvalidJobException("offset is negative: " + offset);
    }
    if (limit < 1 || limit > 10_000) {
      throw new InvalidJobException("limit out of range 1..10000: " + limit);
    }
    return broker.list(Names.checkQueue(queue), Objects.requireNonNull(status), offset, limit);
  }

  public Map<String, CancelOutcome> cancel(String queue, String... ids) {
    return cancel(queue, Arrays.asList(ids));
  }

  public Map<String, CancelOutcome> cancel(String queue, Collection<String> ids) {
    return broker.cancel(Names.checkQueue(queue), checkIds(ids));
  }

  public long retryFailed(String queue, Collection<String> ids) {
    return broker.retryFailed(Names.checkQueue(queue), checkIds(ids));
  }

  public long retryAllFailed(String queue) {
    return broker.retryAllFailed(Names.checkQueue(queue));
  }

  /** Deletes the queue's waiting, delayed and blocked jobs (and failed ones if asked). */
  public ClearResult clear(String queue, boolean includeFailed) {
    return broker.clear(Names.checkQueue(queue), includeFailed, false);
  }

  /** What {@link #clear} would delete, changing nothing. */
  public ClearResult previewClear(String queue, boolean includeFailed) {
    return broker.clear(Names.checkQueue(queue), includeFailed, true);
  }

  /** Deletes finished jobs older than {@code age}, in one queue. */
  public long purge(String queue, Duration age) {
    return broker.purge(Names.checkQueue(queue), checkAge(age));
  }

  /** Deletes finished jobs older than {@code age}, in every known queue. */
  public long purgeAll(Duration age) {
    checkAge(age);
    long n = 0;
    for (String queue : broker.queues()) {
      n += broker.purge(queue, age);
    }
    return n;
  }

  public void pause(String queue) {
    broker.pause(Names.checkQueue(queue));
  }

  public void resume(String queue) {
    broker.resume(Names.checkQueue(queue));
  }

  /** See {@link Broker#setMaxDepth}: off by default; 0 turns it off again. */
  public void setMaxDepth(String queue, long maxDepth) {
    if (maxDepth < 0) {
      throw new InvalidJobException("maximum depth is negative: " + maxDepth + "; use 0 for no limit");
    }
    broker.setMaxDepth(Names.checkQueue(queue), maxDepth);
  }

  public QueueStats stats(String queue) {
    return broker.stats(Names.checkQueue(queue));
  }

  public Set<String> queues() {
    return broker.queues();
  }

  public List<WorkerInfo> workers() {
    return broker.workers();
  }

  private static List<String> checkIds(Collection<String> ids) {
    List<String> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add(Names.checkJobId(id));
    }
    return out;
  }

  private static Duration checkAge(Duration age) {
    if (age == null || age.isNegative()) {
      throw new InvalidJobException("age is negative or missing: " + age);
    }
    return age;
  }
}
