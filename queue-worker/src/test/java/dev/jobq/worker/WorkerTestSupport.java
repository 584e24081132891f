package dev.jobq.worker;

import static org.awaitility.Awaitility.await;

import dev.jobq.Broker;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import dev.jobq.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh prefix on the shared Redis per test, in-process workers, and waits on job states. */
abstract class WorkerTestSupport {
  static final String QUEUE = "work";
  static final Duration PATIENCE = Duration.ofSeconds(20);

  TestRedis redis;
  String prefix;
  Broker broker;
  JobClient client;
  private final List<Worker> workers = new ArrayList<>();

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
  void stopWorkers() {
    workers.forEach(Worker::close);
    broker.close();
  }

  /** A started worker on {@link #QUEUE}: short lease and grace, so tests never wait long. */
  Worker startWorker(UnaryOperator<Worker.Builder> settings) {
    Worker w = settings.apply(Worker.builder(broker)
            .queues(QUEUE)
            .concurrency(2)
            .lease(Duration.ofSeconds(1))
            .shutdownGrace(Duration.ofSeconds(1)))
        .build();
    workers.add(w);
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
