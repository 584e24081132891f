package dev.jobq.redis;

import dev.jobq.BrokerConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.Pool;

/**
 * Opens the pool of connections the URL asks for: to one server, or to the master the sentinels
 * name (Jedis's {@link JedisSentinelPool}, which follows a failover). Both are a {@code
 * Pool<Jedis>}, so no call site knows which. A Redis Cluster gets a pool per master instead
 * ({@link ClusterNodes}). Each first asks the far end what it is, so that a URL
 * of the wrong kind for the server is a {@link BrokerConfigurationException}, not an outage that
 * never ends; an unreachable server or sentinel is a {@link JedisConnectionException}.
 */
final class ConnectionPools {
  private final RedisConfig config;
  private final JedisClientConfig serverClient;
  private final JedisClientConfig sentinelClient;

  /** Reads the CA file now: a bad one is the operator's setting, refused before any call. */
  ConnectionPools(RedisConfig config) {
    this.config = config;
    this.serverClient = serverClient(config);
    this.sentinelClient = sentinelClient(config);
  }

  Pool<Jedis> open() {
    return config.sentinel() ? sentinel() : server();
  }

  static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /**
   * Asks the seed nodes in turn whether they are cluster nodes, then lets Jedis read the map of
   * slots from them.
   */
  ClusterNodes cluster() {
    JedisException down = null;
    for (HostAndPort seed : config.hostAndPorts()) {
      try (Jedis jedis = new Jedis(seed, serverClient)) {
        refuseNonCluster(jedis, seed);
        ConnectionPoolConfig pool = tune(new ConnectionPoolConfig(), config);
        return new ClusterNodes(new ClusterConnectionProvider(
            new LinkedHashSet<>(config.hostAndPorts()), serverClient, pool));
      } catch (JedisConnectionException e) {
        down = e;
      }
    }
    throw new JedisConnectionException("no cluster node answered, of " + config.hosts(), down);
  }

  private void refuseNonCluster(Jedis jedis, HostAndPort seed) {
    String info;
    try {
      info = jedis.info("server");
    } catch (JedisDataException e) {
      if (Connections.refusedCredentials(String.valueOf(e.getMessage()))) {
        throw e;
      }
      return; // INFO forbidden (ACL, renamed command): nothing to check with
    }
    String where = "Redis at " + seed + " (of " + config.maskedUrl() + ")";
    if (info.contains("redis_mode:sentinel")) {
      throw new BrokerConfigurationException(where + " is a Sentinel, not a cluster node: use "
          + scheme() + "-sentinel://" + seed + "/<master-name>");
    }
    if (!info.contains("redis_mode:cluster")) {
      throw new BrokerConfigurationException(where + " is one server, not a Redis Cluster"
          + " node: for one server use " + scheme() + "://" + seed);
    }
  }

  /** redis or rediss, as the URL's. */
  private String scheme() {
    return config.tls() ? "rediss" : "redis";
  }

  private Pool<Jedis> server() {
    JedisPool pool = new JedisPool(poolConfig(config), config.hostAndPorts().get(0), serverClient);
    try (Jedis jedis = pool.getResource()) {
      refuseWrongKind(jedis);
      return pool;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** A Sentinel or a Cluster node answers commands too, but not as one server would. */
  private void refuseWrongKind(Jedis jedis) {
    String info;
    try {
      info = jedis.info("server");
    } catch (JedisDataException e) {
      return; // INFO forbidden (ACL, renamed command): nothing to check with
    }
    String where = "Redis at " + config.maskedUrl();
    if (info.contains("redis_mode:sentinel")) {
      throw new BrokerConfigurationException(where + " is a Sentinel, not a server: use "
          + scheme() + "-sentinel://" + config.hostAndPorts().get(0)
          + "/<master-name>, naming the master as in the sentinels' 'sentinel monitor' line");
    }
    if (info.contains("redis_mode:cluster")) {
      throw new BrokerConfigurationException(where + " is a Redis Cluster node: use "
          + scheme() + "-cluster://" + config.hostAndPorts().get(0) + " (list more nodes after"
          + " commas, in case this one is down)");
    }
  }

  /**
   * Asks each sentinel where the master is before Jedis does: Jedis takes a sentinel that
   * answers wrongly for one that is down, and would report a wrong name or password as "all
   * sentinels down".
   */
  private Pool<Jedis> sentinel() {
    String refused = null;
    JedisException down = null;
    for (HostAndPort sentinel : config.hostAndPorts()) {
      try (Jedis jedis = new Jedis(sentinel, sentinelClient)) {
        List<String> master = jedis.sentinelGetMasterAddrByName(config.masterName());
        if (master != null && master.size() == 2) {
          return new JedisSentinelPool(config.masterName(),
              new LinkedHashSet<>(config.hostAndPorts()), poolConfig(config),
              serverClient, sentinelClient);
        }
        refused = "the sentinel at " + sentinel + " knows no master named '"
            + config.masterName() + "'; use the name of its 'sentinel monitor' line";
      } catch (JedisDataException e) {
        refused = sentinelRefusal(sentinel, e);
      } catch (JedisException e) {
        down = e;
      }
    }
    if (refused != null) {
      throw new BrokerConfigurationException("Redis Sentinel " + config.maskedUrl() + ": " + refused);
    }
    throw new JedisConnectionException("no sentinel answered, of " + config.hosts(), down);
  }

  private static String sentinelRefusal(HostAndPort sentinel, JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("ERR unknown command") || message.contains("only (P|S)SUBSCRIBE")) {
      return "the server at " + sentinel + " is not a Sentinel; for one server use"
          + " redis://host:port";
    }
    if (Connections.refusedCredentials(message)) {
      return "the sentinel at " + sentinel + " refused the credentials (" + message + "); the"
          + " URL's user and password are the master's, the sentinels' own come from"
          + " REDIS_SENTINEL_PASSWORD (and REDIS_SENTINEL_USER)";
    }
    return "the sentinel at " + sentinel + " answered " + message;
  }

  private static JedisPoolConfig poolConfig(RedisConfig config) {
    return tune(new JedisPoolConfig(), config);
  }

  /** Under a cluster, for the pool of each master. */
  private static <P extends GenericObjectPoolConfig<?>> P tune(P pool, RedisConfig config) {
    pool.setMaxTotal(config.poolSize());
    pool.setMaxIdle(config.poolSize());
    pool.setMinIdle(0);
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(true);
    pool.setMaxWait(config.connectTimeout().plus(config.socketTimeout()));
    pool.setJmxEnabled(false);
    return pool;
  }

  /** For the server, or under Sentinel for the master: the URL's credentials and database. */
  private static JedisClientConfig serverClient(RedisConfig config) {
    return tls(config, client(config).database(config.database()).clientName("jobq")
        .user(config.user()).password(config.password()));
  }

  private static JedisClientConfig sentinelClient(RedisConfig config) {
    return tls(config, client(config).clientName("jobq-sentinel")
        .user(config.sentinelUser()).password(config.sentinelPassword()));
  }

  private static DefaultJedisClientConfig.Builder client(RedisConfig config) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis(config.connectTimeout()))
        .socketTimeoutMillis(millis(config.socketTimeout()));
  }

  private static JedisClientConfig tls(RedisConfig config, DefaultJedisClientConfig.Builder client) {
    if (config.tls()) {
      client.ssl(true);
      // check that the certificate names the host we dialled, not only that a CA signed it
      SSLParameters params = new SSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(params);
      if (config.caFile() != null) {
        client.sslSocketFactory(socketFactory(config));
      }
    }
    return client.build();
  }

  private static SSLSocketFactory socketFactory(RedisConfig config) {
    try (InputStream in = Files.newInputStream(config.caFile())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the CA file " + config.caFile() + " (a PEM certificate): " + e.getMessage(), e);
    }
  }
}
