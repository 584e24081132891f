package dev.jobq.redis;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobqException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The pool of Redis connections and the one place Jedis exceptions become jobq ones: a
 * connection failure (or a Redis that is loading, read-only or out of memory) is {@link
 * BrokerUnavailableException}, with the URL masked.
 */
final class Connections implements AutoCloseable {
  private final RedisConfig config;
  private final JedisPool pool;

  Connections(RedisConfig config) {
    this.config = config;
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(config.poolSize());
    poolConfig.setMaxIdle(config.poolSize());
    poolConfig.setMinIdle(0);
    poolConfig.setTestOnBorrow(false);
    poolConfig.setTestWhileIdle(true);
    poolConfig.setMaxWait(config.connectTimeout().plus(config.socketTimeout()));
    poolConfig.setJmxEnabled(false);
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis(config.connectTimeout()))
        .socketTimeoutMillis(millis(config.socketTimeout()))
        .database(config.database())
        .clientName("jobq")
        .user(config.user())
        .password(config.password());
    if (config.tls()) {
      client.ssl(true);
      // check that the certificate names the host we dialled, not only that a CA signed it
      javax.net.ssl.SSLParameters params = new javax.net.ssl.SSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(params);
      if (config.caFile() != null) {
        client.sslSocketFactory(socketFactory(config));
      }
    }
    this.pool = new JedisPool(poolConfig, new HostAndPort(config.host(), config.port()), client.build());
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
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

  <T> T call(Function<Jedis, T> command) {
    try (Jedis jedis = pool.getResource()) {
      return command.apply(jedis);
    } catch (JedisConnectionException e) {
      throw unavailable(e);
    } catch (JedisDataException e) {
      throw translate(e);
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  /**
   * Runs a script by SHA, loading it first when Redis does not know it. The answer's strings
   * are left as bytes (see {@link Replies}).
   */
  Object eval(Script script, List<byte[]> keys, List<byte[]> args) {
    return call(jedis -> {
      try {
        return jedis.evalsha(script.shaBytes, keys, args);
      } catch (JedisNoScriptException e) {
        jedis.scriptLoad(script.source);
        return jedis.evalsha(script.shaBytes, keys, args);
      }
    });
  }

  /** BLPOP for up to {@code waitMs}, null on timeout. See {@link #blocking}. */
  List<String> blockingPop(String[] keys, long waitMs) {
    return blocking(new CommandObject<>(
        new CommandArguments(Protocol.Command.BLPOP).keys((Object[]) keys).add(waitMs / 1000.0),
        BuilderFactory.STRING_LIST), waitMs);
  }

  /**
   * XREAD BLOCK for up to {@code waitMs} after the given stream positions, null on timeout. See
   * {@link #blocking}.
   */
  List<Map.Entry<String, List<StreamEntry>>> blockingRead(
      Map<String, String> after, int count, long waitMs) {
    CommandArguments args = new CommandArguments(Protocol.Command.XREAD)
        .add("COUNT").add(count).add("BLOCK").add(Math.max(1, waitMs)).add("STREAMS");
    after.keySet().forEach(args::key);
    after.values().forEach(args::add);
    return blocking(new CommandObject<>(args, BuilderFactory.STREAM_READ_RESPONSE), waitMs);
  }

  /**
   * Runs a command that blocks in Redis for up to {@code waitMs}. Jedis' own blocking calls read
   * with no timeout at all, so an answer lost on the way (a half-open connection) would block
   * the caller for good; here the read gives up after the wait plus the socket timeout, and the
   * connection, broken by that, is dropped from the pool.
   */
  private <T> T blocking(CommandObject<T> command, long waitMs) {
    return call(jedis -> {
      Connection c = jedis.getConnection();
      c.setSoTimeout(millis(config.socketTimeout().plusMillis(waitMs)));
      try {
        return c.executeCommand(command);
      } finally {
        if (!c.isBroken()) {
          c.setSoTimeout(millis(config.socketTimeout()));
        }
      }
    });
  }

  private RuntimeException translate(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("LOADING") || message.startsWith("READONLY")
        || message.startsWith("OOM") || message.startsWith("MASTERDOWN")
        || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")) {
      return unavailable(e);
    }
    if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH") || message.startsWith("NOPERM")) {
      return new BrokerUnavailableException(
          "Redis at " + config.maskedUrl() + " refused the credentials: " + message
              + "; check the user and password in the URL (or REDIS_PASSWORD)", e);
    }
    if (message.startsWith("ERR jobq: ")) {
      // a script refused its input or a move, naming it, before writing anything (lib.lua)
      return Reply.scriptError(message.substring("ERR ".length()));
    }
    return new JobqException("Redis at " + config.maskedUrl() + " answered an error: " + message, e);
  }

  private BrokerUnavailableException unavailable(JedisException e) {
    String why = rootMessage(e);
    return new BrokerUnavailableException(
        "cannot reach Redis at " + config.maskedUrl() + ": " + why, e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return t == e ? m : e.getMessage() + " (" + m + ")";
  }

  @Override
  public void close() {
    pool.close();
  }
}
