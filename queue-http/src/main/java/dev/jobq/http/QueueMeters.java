package dev.jobq.http;

import dev.jobq.Priority;
import dev.jobq.QueueStats;
import dev.jobq.WorkerInfo;
import dev.jobq.spi.ClientBroker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Every queue's figures as Redis holds them, the truth across all workers, as Micrometer meters:
 * jobs by status and priority, the oldest waiting job's age, paused, limited, live workers, and
 * the totals Redis counts. Meant for one scraper (the server's {@code /metrics}): {@link
 * #refresh} reads {@code stats} of every queue and the workers at most once per {@code maxAge}
 * ({@link #MAX_AGE}), so a scrape costs one round trip per queue however many meters read the
 * figures, and scrapers that come together cost one reading.
 * Queues are found on each refresh; the names and tags are in docs/OBSERVABILITY.md.
 */
final class QueueMeters implements MeterBinder {
  /** How long one reading of Redis serves: scrapes closer together share it. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);
  /** The priority tag of statuses that are not split by priority. */
  static final String ALL_PRIORITIES = "all";

  /** The totals Redis counts per queue, each a counter named {@code jobq.queue.<name>}. */
  private static final List<Total> TOTALS = List.of(
      new Total("enqueued", "Jobs enqueued", QueueStats::totalEnqueued),
      new Total("completed", "Jobs completed", QueueStats::totalCompleted),
      new Total("failed.attempts", "Failed attempts, retried or not",
          QueueStats::totalFailedAttempts),
      new Total("retried", "Failed attempts tried again after a backoff",
          QueueStats::totalRetried),
      new Total("dead.lettered", "Jobs moved to the failed list", QueueStats::totalDeadLettered),
      new Total("cancelled", "Jobs cancelled", QueueStats::totalCancelled),
      new Total("stalled", "Expired leases the reaper took back", QueueStats::totalStalled),
      new Total("released", "Jobs handed back unspent by a worker shutting down",
          QueueStats::totalReleased));

  private record Total(String name, String description, ToLongFunction<QueueStats> figure) {}

  private final ClientBroker broker;
  private final Duration maxAge;
  private final Set<String> countedQueues = new HashSet<>();
  private MeterRegistry registry;
  private MultiGauge jobs;
  private MultiGauge oldestWaiting;
  private MultiGauge paused;
  private MultiGauge limited;
  private MultiGauge maxDepth;
  private MultiGauge failureRate;
  private MultiGauge workers;
  // read by the counters while a scrape runs, without the lock a refresh holds
  private volatile Reading reading = Reading.NONE;

  QueueMeters(ClientBroker broker, Duration maxAge) {
    this.broker = broker;
    this.maxAge = maxAge;
  }

  /** What one refresh read: each queue's figures, and the live workers of each queue. */
  private record Reading(long readAtNanos, Map<String, QueueStats> stats,
      Map<String, Long> workersByQueue) {
    static final Reading NONE = new Reading(0, Map.of(), Map.of());

    long total(String queue, ToLongFunction<QueueStats> figure) {
      QueueStats s = stats.get(queue);
      return s == null ? 0 : figure.applyAsLong(s);
    }
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    jobs = gauge("jobq.queue.jobs", "Jobs of a queue by status, and waiting ones by priority",
        null);
    oldestWaiting = gauge("jobq.queue.oldest.waiting",
        "How long the oldest waiting job of a queue has been ready", "seconds");
    paused = gauge("jobq.queue.paused", "1 while a queue is paused", null);
    limited = gauge("jobq.queue.limited",
        "1 while a limit of a queue holds ready jobs back", null);
    maxDepth = gauge("jobq.queue.max.depth",
        "The most jobs a queue may hold waiting and delayed; 0 is unlimited", null);
    failureRate = gauge("jobq.queue.failure.rate",
        "Failed attempts / (completed + failed attempts) over the last 15 minutes", null);
    workers = gauge("jobq.workers", "Live workers (heartbeat alive) that serve a queue", null);
  }

  private MultiGauge gauge(String name, String description, String unit) {
    return MultiGauge.builder(name).description(description).baseUnit(unit).register(registry);
  }

  /**
   * Reads Redis unless the last reading is younger than {@code maxAge}, and sets every meter
   * from it. Throws {@link dev.jobq.BrokerUnavailableException} while Redis does not answer: the
   * scrape then fails, which Prometheus shows as {@code up == 0}.
   */
  synchronized void refresh() {
    if (registry == null) {
      throw new IllegalStateException("bind the meters to a registry before refreshing them");
    }
    if (reading != Reading.NONE
        && System.nanoTime() - reading.readAtNanos() < maxAge.toNanos()) {
      return;
    }
    reading = read();
    show(reading);
  }

  private Reading read() {
    Map<String, QueueStats> stats = new TreeMap<>();
    for (String queue : broker.queues()) {
      stats.put(queue, broker.stats(queue));
    }
    Map<String, Long> workersByQueue = new TreeMap<>();
    stats.keySet().forEach(queue -> workersByQueue.put(queue, 0L));
    for (WorkerInfo w : broker.workers()) {
      w.queues().forEach(queue -> workersByQueue.merge(queue, 1L, Long::sum));
    }
    return new Reading(System.nanoTime(), stats, workersByQueue);
  }

  private void show(Reading r) {
    List<Row<?>> jobRows = new ArrayList<>();
    List<Row<?>> oldest = new ArrayList<>();
    List<Row<?>> pausedRows = new ArrayList<>();
    List<Row<?>> limitedRows = new ArrayList<>();
    List<Row<?>> depthRows = new ArrayList<>();
    List<Row<?>> rateRows = new ArrayList<>();
    for (QueueStats s : r.stats().values()) {
      Tags queue = Tags.of("queue", s.queue());
      jobRows.addAll(jobRows(s));
      oldest.add(Row.of(queue, s.oldestWaiting().toMillis() / 1000.0));
      pausedRows.add(Row.of(queue, s.paused() ? 1 : 0));
      limitedRows.add(Row.of(queue, s.heldBack().isEmpty() ? 0 : 1));
      depthRows.add(Row.of(queue, s.maxDepth()));
      rateRows.add(Row.of(queue, s.failureRate()));
      countTotals(s.queue());
    }
    jobs.register(jobRows, true);
    oldestWaiting.register(oldest, true);
    paused.register(pausedRows, true);
    limited.register(limitedRows, true);
    maxDepth.register(depthRows, true);
    failureRate.register(rateRows, true);
    List<Row<?>> workerRows = new ArrayList<>();
    r.workersByQueue().forEach((q, n) -> workerRows.add(Row.of(Tags.of("queue", q), n)));
    workers.register(workerRows, true);
  }

  private static List<Row<?>> jobRows(QueueStats s) {
    List<Row<?>> rows = new ArrayList<>();
    for (Priority p : Priority.values()) {
      rows.add(jobRow(s, "waiting", p.name().toLowerCase(Locale.ROOT),
          s.waiting().getOrDefault(p, 0L)));
    }
    rows.add(jobRow(s, "delayed", ALL_PRIORITIES, s.delayed()));
    rows.add(jobRow(s, "active", ALL_PRIORITIES, s.active()));
    rows.add(jobRow(s, "blocked", ALL_PRIORITIES, s.blocked()));
    rows.add(jobRow(s, "failed", ALL_PRIORITIES, s.failed()));
    rows.add(jobRow(s, "completed", ALL_PRIORITIES, s.completed()));
    rows.add(jobRow(s, "cancelled", ALL_PRIORITIES, s.cancelled()));
    return rows;
  }

  private static Row<?> jobRow(QueueStats s, String status, String priority, long n) {
    return Row.of(Tags.of("queue", s.queue(), "status", status, "priority", priority), n);
  }

  /**
   * Redis's totals only grow, so they are counters; each reads the latest reading when the
   * registry asks. A queue gets its counters the first time a reading sees it.
   */
  private void countTotals(String queue) {
    if (!countedQueues.add(queue)) {
      return;
    }
    for (Total t : TOTALS) {
      FunctionCounter.builder("jobq.queue." + t.name(), this, m -> m.total(queue, t.figure()))
          .description(t.description() + ", as Redis counts them for the queue")
          .tag("queue", queue)
          .register(registry);
    }
  }

  private double total(String queue, ToLongFunction<QueueStats> figure) {
    return reading.total(queue, figure);
  }
}
