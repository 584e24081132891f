package dev.jobq.cli;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobClient;
import dev.jobq.internal.Names;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import java.util.Set;

/** One command's connection to Redis: the broker, a client over it, and queue checks. */
final class Session implements AutoCloseable {
  private final RedisConfig config;
  private final RedisBroker broker;
  private final JobClient client;

  private Session(RedisConfig config, RedisBroker broker) {
    this.config = config;
    this.broker = broker;
    this.client = JobClient.create(broker);
  }

  /** Connects lazily: an unreachable Redis shows at the first call, as a BrokerUnavailableException. */
  static Session open(RedisConfig config) {
    try {
      return new Session(config, RedisBroker.connect(config));
    } catch (IllegalArgumentException e) {
      // an unreadable CA file and the like: the operator's setting, named in the message
      throw new UsageError(e.getMessage());
    }
  }

  /**
   * For commands that run until stopped (worker, serve): a wrong password or a URL of the wrong
   * kind for the server ends the command here, as one line and exit 1 (a
   * BrokerConfigurationException); an unreachable Redis does not, it is waited for.
   */
  void refuseWrongSettings() {
    try {
      broker.ping();
    } catch (BrokerUnavailableException e) {
      // an outage: the command's loops wait it out and say so
    }
  }

  RedisConfig config() {
    return config;
  }

  RedisBroker broker() {
    return broker;
  }

  JobClient client() {
    return client;
  }

  /**
   * Checks that the queue exists, so that a typo is not silently answered with an empty
   * listing; returns its name.
   */
  String requireQueue(String queue) {
    Names.checkQueue(queue);
    Set<String> known = client.queues();
    if (!known.contains(queue)) {
      throw new CommandFailed("unknown queue '" + queue + "'; known queues: "
          + (known.isEmpty() ? "(none yet: enqueue a job to create one)" : String.join(", ", known)));
    }
    return queue;
  }

  @Override
  public void close() {
    broker.close();
  }
}
