package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.DoctorReport;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh prefix on the shared Redis per test (or a Redis of the test's own), in-process workers,
 * waits on job states, and after each test: workers stopped, then the doctor's check that every
 * job of every queue the test used is in exactly one set and its status says which.
 */
abstract class WorkerTestSupport {
  static final String QUEUE = "work";
  static final Duration PATIENCE = Duration.ofSeconds(20);

  static {
    // Check at once and then often: a condition that already holds should cost nothing.
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
  }

  TestRedis redis;
  String prefix;
  RedisBroker broker;
  JobClient client;
  private final List<Worker> workers = new ArrayList<>();
  private final Set<String> queuesUsed = new LinkedHashSet<>(List.of(QUEUE));

  /** The Redis for this test: the shared one, unless a test class needs one it can kill. */
  TestRedis redis() {
    return TestRedis.shared();
  }

  @BeforeEach
  void connect() {
    redis = redis();
    prefix = TestRedis.uniquePrefix();
    broker = Brokers.connect(redis, prefix);
    client = JobClient.create(broker);
  }

  @AfterEach
  void stopWorkersAndCheckQueues() {
    try {
      workers.forEach(Worker::close);
      if (redis.isRunning()) {
        for (String q : queuesUsed) {
          DoctorReport report = broker.tools().doctor(q, false);
          assertThat(report.findings()).as("doctor of queue " + q).isEmpty();
        }
      }
    } finally {
      broker.close();
      if (redis != TestRedis.shared()) {
        redis.close();
      }
    }
  }

  /** Queues beyond {@link #QUEUE} that the doctor should check after the test. */
  void usesQueues(String... queues) {
    queuesUsed.addAll(List.of(queues));
  }

  /** A worker on {@link #QUEUE}, not yet started: short lease and grace, so tests never wait long. */
  Worker buildWorker(UnaryOperator<Worker.Builder> settings) {
    Worker w = settings.apply(Worker.builder(broker)
            .queues(QUEUE)
            .concurrency(2)
            .lease(Duration.ofSeconds(1))
            .shutdownGrace(Duration.ofSeconds(1)))
        .build();
    workers.add(w);
    return w;
  }

  Worker startWorker(UnaryOperator<Worker.Builder> settings) {
    Worker w = buildWorker(settings);
    w.start();
    return w;
  }

  String enqueue(String type, String payload, UnaryOperator<JobRequest.Builder> more) {
    return client.enqueue(more.apply(JobRequest.builder(type).queue(QUEUE).payload(payload)).build())
        .jobId();
  }

  String enqueue(String type, String payload) {
    return enqueue(type, payload, b -> b);
  }

  Job job(String id) {
    return broker.get(QUEUE, id).orElseThrow();
  }

  Job awaitStatus(String id, JobStatus status) {
    await().atMost(PATIENCE).until(() -> job(id).status() == status);
    return job(id);
  }
}
