package dev.jobq.redis;

import dev.jobq.BrokerConfigurationException;
import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobqException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;

/**
 * The pool of Redis connections and the one place Jedis exceptions become jobq ones: a
 * connection failure (or a Redis that is loading, read-only or out of memory) is {@link
 * BrokerUnavailableException}, an outage to wait out; refused credentials or a URL of the wrong
 * kind for the server are {@link BrokerConfigurationException}, which waiting cannot fix. The URL
 * is always masked.
 *
 * <p>The pool opens at the first call, not here: a Sentinel pool must reach a sentinel to open,
 * and a broker may be created while Redis is still down.
 *
 * <p>Under a Redis Cluster each call names a key, and runs on the master that serves the key's
 * slot ({@link ClusterNodes}); a call that names none touches only the keys that belong to no
 * queue, and runs where they live ({@link Keys#globalBase}). On one server the key is ignored.
 */
final class Connections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);

  private final RedisConfig config;
  private final ConnectionPools pools;
  private final int globalSlot;
  private volatile Pool<Jedis> pool;
  private volatile ClusterNodes cluster;
  private boolean closed; // guarded by this

  Connections(RedisConfig config) {
    this.config = config;
    this.pools = new ConnectionPools(config);
    this.globalSlot = JedisClusterCRC16.getSlot(Keys.queues(Keys.globalBase(config)));
  }

  private static int millis(Duration d) {
    return ConnectionPools.millis(d);
  }

  private Pool<Jedis> pool() {
    Pool<Jedis> p = pool;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (closed) {
        throw new JedisConnectionException("the broker is closed");
      }
      if (pool == null) {
        pool = pools.open();
      }
      return pool;
    }
  }

  private ClusterNodes nodes() {
    ClusterNodes c = cluster;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (closed) {
        throw new JedisConnectionException("the broker is closed");
      }
      if (cluster == null) {
        cluster = pools.cluster();
      }
      return cluster;
    }
  }

  /** A command on the keys that belong to no queue (registries), or on none. */
  <T> T call(Function<Jedis, T> command) {
    return onSlot(globalSlot, command);
  }

  /** A command on keys of one slot: {@code key} is any of them, as a queue's {@link Keys#base}. */
  <T> T call(String key, Function<Jedis, T> command) {
    return onSlot(config.cluster() ? JedisClusterCRC16.getSlot(key) : 0, command);
  }

  /**
   * A command run on every master of a cluster, one after another, as SCAN, which walks one
   * node's keys; on one server, once. Its answers, one per node.
   */
  <T> List<T> onEveryNode(Function<Jedis, T> command) {
    return List.copyOf(byNode(command).values());
  }

  /**
   * As {@link #onEveryNode}, each answer under its node's name: a master's {@code host:port}
   * under a cluster, sorted; on one server, its {@link #serverName}.
   */
  <T> Map<String, T> byNode(Function<Jedis, T> command) {
    return translated(() -> config.cluster()
        ? nodes().onEachMaster(jedis -> apply(jedis, command))
        : Map.of(serverName(), onServer(command)));
  }

  /**
   * The name of the node that serves the key's slot, as {@link #byNode} names it; on one server
   * its {@link #serverName}.
   */
  String nodeOf(String key) {
    return config.cluster()
        ? translated(() -> nodes().masterOf(JedisClusterCRC16.getSlot(key)))
        : serverName();
  }

  /** The one server's host:port, or under Sentinel the master's name the sentinels know. */
  private String serverName() {
    return config.sentinel() ? config.masterName() : config.host() + ":" + config.port();
  }

  private <T> T onSlot(int slot, Function<Jedis, T> command) {
    return translated(() -> config.cluster()
        ? nodes().call(slot, jedis -> apply(jedis, command))
        : onServer(command));
  }

  private <T> T onServer(Function<Jedis, T> command) {
    try (Jedis jedis = pool().getResource()) {
      return apply(jedis, command);
    }
  }

  private <T> T translated(Supplier<T> call) {
    try {
      return call.get();
    } catch (JedisConnectionException e) {
      throw unavailable(e);
    } catch (JedisDataException e) {
      throw translate(e);
    } catch (JedisException e) {
      // the pool wraps what failed while connecting, such as AUTH's answer
      throw e.getCause() instanceof JedisDataException refused ? translate(refused) : unavailable(e);
    }
  }

  /**
   * A server that answers READONLY is a replica now, as an old master after a failover: the
   * connection goes, so that the pool dials the master the sentinels name, not this one again.
   */
  private static <T> T apply(Jedis jedis, Function<Jedis, T> command) {
    try {
      return command.apply(jedis);
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).startsWith("READONLY")) {
        jedis.getConnection().setBroken();
      }
      throw e;
    }
  }

  /**
   * Runs a script by SHA, loading it first when Redis does not know it. The answer's strings
   * are left as bytes (see {@link Replies}).
   */
  Object eval(Script script, List<byte[]> keys, List<byte[]> args) {
    return onSlot(slotOf(keys), jedis -> evalOn(jedis, script, keys, args));
  }

  /** A script's keys are one queue's, all in one slot. */
  private int slotOf(List<byte[]> keys) {
    return config.cluster() ? JedisClusterCRC16.getSlot(keys.get(0)) : 0;
  }

  private static Object evalOn(Jedis jedis, Script script, List<byte[]> keys, List<byte[]> args) {
    try {
      return jedis.evalsha(script.shaBytes, keys, args);
    } catch (JedisNoScriptException e) {
      jedis.scriptLoad(script.source);
      return jedis.evalsha(script.shaBytes, keys, args);
    }
  }

  /**
   * As {@link #eval}, then, when the configuration asks for it, Redis {@code WAIT} on the same
   * connection until that many replicas have the script's writes. Fewer within the timeout is
   * logged, not thrown: the master has the writes, and a caller that retried would write twice.
   */
  Object evalReplicated(Script script, List<byte[]> keys, List<byte[]> args) {
    if (config.waitReplicas() == 0) {
      return eval(script, keys, args);
    }
    return onSlot(slotOf(keys), jedis -> {
      Object answer = evalOn(jedis, script, keys, args);
      long acked = jedis.waitReplicas(config.waitReplicas(), config.waitTimeout().toMillis());
      if (acked < config.waitReplicas()) {
        log.warn("only {} of {} replicas acknowledged the write within {} ms; a failover now"
            + " could lose it", acked, config.waitReplicas(), config.waitTimeout().toMillis());
      }
      return answer;
    });
  }

  /**
   * BLPOP for up to {@code waitMs}, null on timeout; over keys of several slots, in turns (see
   * {@link SlotGroups#inTurns}). See {@link #blocking}.
   */
  List<String> blockingPop(String[] keys, long waitMs) {
    return SlotGroups.inTurns(bySlot(List.of(keys), k -> k), waitMs, (group, ms) -> blocking(
        group.get(0), new CommandObject<>(new CommandArguments(Protocol.Command.BLPOP)
            .keys(group.toArray()).add(ms / 1000.0), BuilderFactory.STRING_LIST), ms));
  }

  /**
   * XREAD BLOCK for up to {@code waitMs} after the given stream positions, null on timeout;
   * over streams of several slots, in turns. See {@link #blocking}.
   */
  List<Map.Entry<String, List<StreamEntry>>> blockingRead(
      Map<String, String> after, int count, long waitMs) {
    List<String> streams = List.copyOf(after.keySet());
    return SlotGroups.inTurns(bySlot(streams, k -> k), waitMs, (group, ms) -> {
      CommandArguments args = new CommandArguments(Protocol.Command.XREAD)
          .add("COUNT").add(count).add("BLOCK").add(Math.max(1, ms)).add("STREAMS");
      group.forEach(args::key);
      group.forEach(k -> args.add(after.get(k)));
      return blocking(group.get(0),
          new CommandObject<>(args, BuilderFactory.STREAM_READ_RESPONSE), ms);
    });
  }

  /**
   * The items by the slot of their key, in the order first seen; all in one group on one
   * server, where any command may span keys.
   */
  <E> List<List<E>> bySlot(List<E> items, Function<E, String> key) {
    return config.cluster() ? SlotGroups.bySlot(items, key) : List.of(items);
  }

  /**
   * Runs a command that blocks in Redis for up to {@code waitMs}. Jedis' own blocking calls read
   * with no timeout at all, so an answer lost on the way (a half-open connection) would block
   * the caller for good; here the read gives up after the wait plus the socket timeout, and the
   * connection, broken by that, is dropped from the pool.
   */
  private <T> T blocking(String key, CommandObject<T> command, long waitMs) {
    return call(key, jedis -> {
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
        || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")
        || clusterInFlux(message)) {
      return unavailable(e);
    }
    if (refusedCredentials(message)) {
      return new BrokerConfigurationException(
          "Redis at " + config.maskedUrl() + " refused the credentials: " + message
              + "; check the user and password in the URL (or REDIS_PASSWORD)", e);
    }
    if (message.startsWith("ERR jobq: ")) {
      // a script refused its input or a move, naming it, before writing anything (lib.lua)
      return Reply.scriptError(message.substring("ERR ".length()));
    }
    return new JobqException("Redis at " + config.maskedUrl() + " answered an error: " + message, e);
  }

  /**
   * A cluster without a master for some slot (CLUSTERDOWN, during a failover), or a slot still
   * moving when {@link ClusterNodes} stopped following it (MOVED, ASK, TRYAGAIN for longer than
   * {@link Redirects#PATIENCE}): an outage to wait out.
   */
  private static boolean clusterInFlux(String message) {
    return message.startsWith("CLUSTERDOWN") || message.startsWith("MOVED")
        || message.startsWith("ASK");
  }

  /** A wrong user or password, or a user without the right: no retry will be let in. */
  static boolean refusedCredentials(String message) {
    return message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
        || message.startsWith("NOPERM");
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
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }
}
