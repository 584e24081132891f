package dev.jobq.cli;

import dev.jobq.redis.RedisConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where Redis is: options of {@code jobq} that every subcommand inherits, each defaulting to
 * the environment.
 */
final class RedisOptions {
  @Option(
      names = "--redis-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "Redis to use: redis://[user:password@]host:port[/db], or under Sentinel"
          + " redis-sentinel://[user:password@]host:port[,host:port…]/master-name[?db=N], or a"
          + " Redis Cluster's nodes redis-cluster://[user:password@]host:port[,host:port…];"
          + " rediss://, rediss-sentinel://, rediss-cluster:// for TLS. Default: from the"
          + " environment (below), else redis://localhost:6379.")
  String url;

  @Option(
      names = "--prefix",
      scope = ScopeType.INHERIT,
      paramLabel = "PREFIX",
      description = "Key prefix of every jobq key in Redis. Default: $JOBQ_PREFIX, else jobq.")
  String prefix;

  @Option(
      names = "--redis-ca-file",
      scope = ScopeType.INHERIT,
      paramLabel = "PEM",
      description = "CA certificate that signed Redis's TLS certificate (rediss:// only)."
          + " Default: $REDIS_CA_FILE, else the JVM's trust store.")
  Path caFile;

  /**
   * The settings from the flags, else the environment. A bad URL, prefix or CA file is a usage
   * error naming the value (the password masked).
   */
  RedisConfig config(Map<String, String> env, int poolSize) {
    try {
      RedisConfig.Builder b = RedisConfig.fromEnvironment(env);
      if (url != null) {
        b.url(url);
      }
      if (prefix != null) {
        b.prefix(prefix);
      }
      if (caFile != null) {
        b.caFile(caFile);
      }
      return b.poolSize(poolSize).build();
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }
}
