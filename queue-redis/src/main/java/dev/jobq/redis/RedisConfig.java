package dev.jobq.redis;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;

/**
 * How to reach Redis and how long to keep finished jobs. Built from a URL or from the
 * environment. The URL names one server, {@code redis://[user:password@]host:port[/db]}, or the
 * sentinels that watch a master, {@code
 * redis-sentinel://[user:password@]host:port[,host:port…]/master-name[?db=N]}; {@code rediss://}
 * and {@code rediss-sentinel://} use TLS. Under Sentinel the URL's user and password are the
 * master's (and its replicas'); sentinels that demand their own get them from {@link
 * Builder#sentinelCredentials}. {@code redis-cluster://[user:password@]host:port[,host:port…]}
 * names seed nodes of a Redis Cluster ({@code rediss-cluster://} with TLS; see docs/CLUSTER.md
 * for what works there yet). Every kind takes {@code ?waitReplicas=N&waitTimeout=100ms}.
 *
 * <pre>{@code
 * RedisConfig config = RedisConfig.builder().url("redis://localhost:6379/0").prefix("jobq").build();
 * }</pre>
 */
public final class RedisConfig {
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_PREFIX = "jobq";
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMillis(500);
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");

  private final RedisUrl url;
  private final String prefix;
  private final int poolSize;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Path caFile;
  private final String sentinelUser;
  private final String sentinelPassword;
  private final int waitReplicas;
  private final Duration waitTimeout;
  private final Clock clock;
  private final Clock hostClock;
  private final Duration completedRetention;
  private final Duration cancelledRetention;
  private final long maxFinishedKept;
  private final Duration failedRetention;

  private RedisConfig(Builder b) {
    this.url = RedisUrl.parse(b.url);
    this.prefix = checkPrefix(b.prefix);
    this.poolSize = checkPositive("pool size", b.poolSize);
    this.connectTimeout = checkPositive("connect timeout", b.connectTimeout);
    this.socketTimeout = checkPositive("socket timeout", b.socketTimeout);
    this.caFile = b.caFile;
    this.sentinelUser = b.sentinelUser;
    this.sentinelPassword = b.sentinelPassword;
    this.waitReplicas = b.waitReplicas != null ? b.waitReplicas : url.waitReplicas;
    if (waitReplicas < 0) {
      throw new IllegalArgumentException("replicas to wait for must be 0 or more, got " + waitReplicas);
    }
    this.waitTimeout = checkPositive("replica wait timeout", b.waitTimeout != null ? b.waitTimeout
        : url.waitTimeout != null ? url.waitTimeout : DEFAULT_WAIT_TIMEOUT);
    this.clock = b.clock;
    this.hostClock = b.hostClock;
    this.completedRetention = checkPositive("completed retention", b.completedRetention);
    this.cancelledRetention = checkPositive("cancelled retention", b.cancelledRetention);
    this.maxFinishedKept = checkPositive("finished jobs kept", b.maxFinishedKept);
    if (b.failedRetention == null || b.failedRetention.isNegative()) {
      throw new IllegalArgumentException("failed retention must be zero (keep failed jobs until"
          + " retried or purged) or positive, got " + b.failedRetention);
    }
    this.failedRetention = b.failedRetention;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static RedisConfig fromUrl(String url) {
    return builder().url(url).build();
  }

  /**
   * Reads {@code REDIS_URL}, or else {@code REDIS_HOST}, {@code REDIS_PORT}, {@code
   * REDIS_PASSWORD}, {@code REDIS_DB}; also {@code JOBQ_PREFIX}, {@code REDIS_CA_FILE}, and
   * {@code REDIS_SENTINEL_USER} and {@code REDIS_SENTINEL_PASSWORD} for sentinels that demand
   * credentials of their own.
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = builder().url(RedisUrl.fromEnvironment(env));
    if (notBlank(env.get("JOBQ_PREFIX"))) {
      b.prefix(env.get("JOBQ_PREFIX"));
    }
    if (notBlank(env.get("REDIS_CA_FILE"))) {
      b.caFile(Path.of(env.get("REDIS_CA_FILE")));
    }
    if (notBlank(env.get("REDIS_SENTINEL_PASSWORD"))) {
      b.sentinelCredentials(env.get("REDIS_SENTINEL_USER"), env.get("REDIS_SENTINEL_PASSWORD"));
    }
    return b;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  public URI url() {
    return url.uri;
  }

  /** The URL with its password replaced by {@code ***}: the only form that may be printed. */
  public String maskedUrl() {
    return url.masked();
  }

  public boolean tls() {
    return url.tls;
  }

  /** True for a {@code redis-sentinel://} URL: the sentinels say where the master is. */
  public boolean sentinel() {
    return url.kind == RedisUrl.Kind.SENTINEL;
  }

  /** True for a {@code redis-cluster://} URL: each queue's slot says which node serves it. */
  public boolean cluster() {
    return url.kind == RedisUrl.Kind.CLUSTER;
  }

  /** The master's name the sentinels know; null for a server URL. */
  public String masterName() {
    return url.masterName;
  }

  /** The server's host; for a Sentinel URL, the first sentinel's. */
  public String host() {
    return url.hosts.get(0).getHost();
  }

  /** The server's port; for a Sentinel URL, the first sentinel's. */
  public int port() {
    return url.hosts.get(0).getPort();
  }

  /**
   * Every sentinel of a Sentinel URL, or every seed node of a Cluster URL, as {@code host:port};
   * the one server otherwise.
   */
  public List<String> hosts() {
    return url.hosts.stream().map(HostAndPort::toString).toList();
  }

  List<HostAndPort> hostAndPorts() {
    return url.hosts;
  }

  /**
   * The ACL user, or null for the default user. Under Sentinel, the master's (and its
   * replicas'): the sentinels get {@link #sentinelUser()} and {@link #sentinelPassword()}.
   */
  public String user() {
    return url.user;
  }

  /** The password, or null when the URL has none. Under Sentinel, the master's. */
  public String password() {
    return url.password;
  }

  /** The sentinels' own ACL user, or null; set apart from the URL's, which are the master's. */
  public String sentinelUser() {
    return sentinelUser;
  }

  /** The sentinels' own password ({@code requirepass} in their configuration), or null. */
  public String sentinelPassword() {
    return sentinelPassword;
  }

  public int database() {
    return url.database;
  }

  /**
   * How many replicas must have an enqueued job before the enqueue returns (Redis {@code
   * WAIT}); 0, the default, returns once the master has it.
   */
  public int waitReplicas() {
    return waitReplicas;
  }

  /** The longest an enqueue waits for {@link #waitReplicas()}. */
  public Duration waitTimeout() {
    return waitTimeout;
  }

  public String prefix() {
    return prefix;
  }

  public int poolSize() {
    return poolSize;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration socketTimeout() {
    return socketTimeout;
  }

  /** The CA certificate (PEM) that signed the server's TLS certificate, or null for the JVM's. */
  public Path caFile() {
    return caFile;
  }

  /** A clock to use instead of Redis's own (tests that shift time); null for Redis TIME. */
  Clock clock() {
    return clock;
  }

  /** This host's wall clock, read only until Redis first answers TIME. */
  Clock hostClock() {
    return hostClock;
  }

  public Duration completedRetention() {
    return completedRetention;
  }

  public Duration cancelledRetention() {
    return cancelledRetention;
  }

  /** How long dead-lettered jobs are kept; zero (the default) keeps them until retried or purged. */
  public Duration failedRetention() {
    return failedRetention;
  }

  /** How many completed (and, separately, cancelled) jobs a queue keeps at most. */
  public long maxFinishedKept() {
    return maxFinishedKept;
  }

  private static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("invalid key prefix " + "'" + prefix + "'"
          + ": use 1 to 50 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return prefix;
  }

  private static int checkPositive(String what, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
    return n;
  }

  private static long checkPositive(String what, long n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
    return n;
  }

  private static Duration checkPositive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  public static final class Builder {
    private String url = DEFAULT_URL;
    private String prefix = DEFAULT_PREFIX;
    private int poolSize = 16;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(5);
    private Path caFile;
    private String sentinelUser;
    private String sentinelPassword;
    private Integer waitReplicas;
    private Duration waitTimeout;
    private Clock clock;
    private Clock hostClock = Clock.systemUTC();
    private Duration completedRetention = Duration.ofHours(24);
    private Duration cancelledRetention = Duration.ofHours(24);
    private long maxFinishedKept = 100_000;
    private Duration failedRetention = Duration.ZERO;

    private Builder() {}

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = socketTimeout;
      return this;
    }

    public Builder caFile(Path caFile) {
      this.caFile = caFile;
      return this;
    }

    /** The sentinels' own credentials, when they demand any; the URL's are the master's. */
    public Builder sentinelCredentials(String user, String password) {
      this.sentinelUser = user;
      this.sentinelPassword = password;
      return this;
    }

    /** Replicas an enqueue waits for (Redis WAIT); overrides the URL's {@code ?waitReplicas=}. */
    public Builder waitReplicas(int waitReplicas) {
      this.waitReplicas = waitReplicas;
      return this;
    }

    /** The longest an enqueue waits for them; overrides the URL's {@code ?waitTimeout=}. */
    public Builder waitTimeout(Duration waitTimeout) {
      this.waitTimeout = waitTimeout;
      return this;
    }

    /** Replaces Redis TIME as the source of "now": for tests that shift a client's clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * This host's wall clock, read only until Redis first answers {@code TIME}; after that "now"
     * is Redis's clock plus the monotonic time since it was read. For tests that play a host
     * whose clock is wrong or steps.
     */
    public Builder hostClock(Clock hostClock) {
      this.hostClock = hostClock;
      return this;
    }

    public Builder completedRetention(Duration completedRetention) {
      this.completedRetention = completedRetention;
      return this;
    }

    public Builder cancelledRetention(Duration cancelledRetention) {
      this.cancelledRetention = cancelledRetention;
      return this;
    }

    /** Zero (the default) keeps dead-lettered jobs until they are retried or purged. */
    public Builder failedRetention(Duration failedRetention) {
      this.failedRetention = failedRetention;
      return this;
    }

    public Builder maxFinishedKept(long maxFinishedKept) {
      this.maxFinishedKept = maxFinishedKept;
      return this;
    }

    public RedisConfig build() {
      return new RedisConfig(this);
    }
  }
}
