package dev.jobq.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Redis and how long to keep finished jobs. Built from a URL ({@code
 * redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS) or from the environment.
 *
 * <pre>{@code
 * RedisConfig config = RedisConfig.builder().url("redis://localhost:6379/0").prefix("jobq").build();
 * }</pre>
 */
public final class RedisConfig {
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_PREFIX = "jobq";
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");

  private final URI url;
  private final String prefix;
  private final int poolSize;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Path caFile;
  private final Clock clock;
  private final Clock hostClock;
  private final Duration completedRetention;
  private final Duration cancelledRetention;
  private final long maxFinishedKept;
  private final Duration failedRetention;

  private RedisConfig(Builder b) {
    this.url = parseUrl(b.url);
    this.prefix = checkPrefix(b.prefix);
    this.poolSize = checkPositive("pool size", b.poolSize);
    this.connectTimeout = checkPositive("connect timeout", b.connectTimeout);
    this.socketTimeout = checkPositive("socket timeout", b.socketTimeout);
    this.caFile = b.caFile;
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
   * REDIS_PASSWORD}, {@code REDIS_DB}; also {@code JOBQ_PREFIX} and {@code REDIS_CA_FILE}.
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    Builder b = builder().url(urlFromEnvironment(env));
    if (notBlank(env.get("JOBQ_PREFIX"))) {
      b.prefix(env.get("JOBQ_PREFIX"));
    }
    if (notBlank(env.get("REDIS_CA_FILE"))) {
      b.caFile(Path.of(env.get("REDIS_CA_FILE")));
    }
    return b;
  }

  static String urlFromEnvironment(Map<String, String> env) {
    if (notBlank(env.get("REDIS_URL"))) {
      return env.get("REDIS_URL");
    }
    String host = notBlank(env.get("REDIS_HOST")) ? env.get("REDIS_HOST") : "127.0.0.1";
    String port = notBlank(env.get("REDIS_PORT")) ? env.get("REDIS_PORT") : "6379";
    String password = env.get("REDIS_PASSWORD");
    String auth = notBlank(password) ? ":" + encode(password) + "@" : "";
    String db = notBlank(env.get("REDIS_DB")) ? "/" + env.get("REDIS_DB") : "";
    return "redis://" + auth + host + ":" + port + db;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  public URI url() {
    return url;
  }

  /** The URL with its password replaced by {@code ***}: the only form that may be printed. */
  public String maskedUrl() {
    return mask(url);
  }

  static String mask(URI url) {
    String userInfo = url.getRawUserInfo();
    if (userInfo == null) {
      return url.toString();
    }
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return url.getScheme() + "://" + masked + "@" + url.getHost() + portPart(url)
        + Objects.requireNonNullElse(url.getRawPath(), "");
  }

  private static String portPart(URI url) {
    return url.getPort() < 0 ? "" : ":" + url.getPort();
  }

  public boolean tls() {
    return "rediss".equals(url.getScheme());
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() < 0 ? 6379 : url.getPort();
  }

  /** The ACL user, or null for the default user. */
  public String user() {
    String[] auth = userInfo();
    return auth.length == 2 && !auth[0].isEmpty() ? auth[0] : null;
  }

  /** The password, or null when the URL has none. */
  public String password() {
    String[] auth = userInfo();
    if (auth.length == 0) {
      return null;
    }
    return auth.length == 2 ? auth[1] : auth[0];
  }

  private String[] userInfo() {
    String info = url.getUserInfo();
    if (info == null || info.isEmpty()) {
      return new String[0];
    }
    int colon = info.indexOf(':');
    return colon < 0 ? new String[] {info} : new String[] {info.substring(0, colon), info.substring(colon + 1)};
  }

  public int database() {
    String path = url.getPath();
    return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
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

  private static URI parseUrl(String raw) {
    Objects.requireNonNull(raw, "url");
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw badUrl(raw, e.getReason());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw badUrl(raw, "the scheme must be redis:// or rediss:// (TLS)");
    }
    if (uri.getHost() == null) {
      throw badUrl(raw, "it names no host");
    }
    String path = uri.getPath();
    if (path != null && path.length() > 1 && !path.substring(1).matches("\\d{1,5}")) {
      throw badUrl(raw, "the path must be a database number such as /0");
    }
    return uri;
  }

  private static IllegalArgumentException badUrl(String raw, String why) {
    String shown = raw;
    try {
      shown = mask(new URI(raw.trim()));
    } catch (URISyntaxException | RuntimeException e) {
      shown = "(unparsable URL)";
    }
    return new IllegalArgumentException(
        "invalid Redis URL " + shown + ": " + why
            + "; expected redis://[user:password@]host:port[/db]");
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
