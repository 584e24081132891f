package dev.jobq.redis;

/**
 * The parts of one {@link RedisBroker}, one per role, built once and wired to each other and to
 * their shared {@link Queues} (connections, keys, scripts, clock): never to the facade.
 */
final class RedisParts {
  final RedisConfig config;
  final Connections redis;
  final RedisClock clock;
  final Queues queues;
  final Enqueuer enqueuer;
  final Attempts attempts;
  final Reaper reaper;
  final Operations operations;
  final EventLog events;
  final JobQueries queries;
  final JobSearches searches;
  final RateHistory history;
  final Limits limits;
  final Schedules schedules;
  final WorkerRegistry workers;
  final RedisServer server;
  final Doctor doctor;

  RedisParts(RedisConfig config) {
    this.config = config;
    this.redis = new Connections(config);
    this.clock = new RedisClock(redis, config.clock(), config.hostClock());
    LayoutUpgrade upgrade = new LayoutUpgrade(redis, clock::millis);
    this.queues = new Queues(config, redis, clock, upgrade);
    this.enqueuer = new Enqueuer(queues);
    this.operations = new Operations(queues);
    this.queries = new JobQueries(queues);
    this.searches = new JobSearches(queues);
    this.history = new RateHistory(queues);
    Escalations escalations = new Escalations(queries, enqueuer, operations);
    this.attempts = new Attempts(queues, escalations);
    this.reaper = new Reaper(queues, queries, escalations);
    this.events = new EventLog(queues);
    this.limits = new Limits(queues);
    this.schedules = new Schedules(queues, enqueuer);
    this.workers = new WorkerRegistry(redis, Keys.globalBase(config));
    this.server = new RedisServer(redis, config.cluster());
    this.doctor = new Doctor(queues, upgrade);
  }
}
