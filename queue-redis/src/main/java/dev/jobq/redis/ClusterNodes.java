package dev.jobq.redis;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * The masters of a Redis Cluster, reached by slot: a call runs on the node that serves the slot
 * of the keys it names, through a {@link Jedis} over a pooled connection to that node, so call
 * sites read as on one server.
 *
 * <p>A slot that moves is followed: MOVED (the slot has moved for good) refreshes Jedis's map
 * of slots to nodes and sends the call to the node named; ASK (a slot half-way through a move,
 * the key already gone) sends the call to the node named, after ASKING; TRYAGAIN (a script
 * whose keys the move has split, or not all there) sends it again from the start, and so does
 * EXECABORT for a transaction one of whose commands was refused so. A node refuses a command on
 * another node's slot before it runs it (a transaction, all of it), so sending the call again
 * writes nothing twice. The tries are paced and bounded by {@link Redirects}.
 */
final class ClusterNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);

  private final ClusterConnectionProvider provider;
  private static final long HOLE_RECHECK_NANOS = 10_000_000_000L;

  /** A slot without a master was seen and warned of; cleared once every slot has one again. */
  private volatile boolean hole;
  private volatile long holeCheckedAt; // System.nanoTime() of the last read while in a hole

  ClusterNodes(ClusterConnectionProvider provider) {
    this.provider = provider;
  }

  <T> T call(int slot, Function<Jedis, T> command) {
    Redirects redirects = new Redirects();
    HostAndPort node = null; // the slot's master as the map says
    boolean asking = false;
    while (true) {
      try {
        return node == null ? onSlot(slot, command) : onNode(node, asking, command);
      } catch (JedisDataException e) {
        JedisDataException refusal = Redirects.refusal(e);
        if (refusal == null) {
          throw e;
        }
        redirects.next(refusal);
        if (refusal instanceof JedisMovedDataException) {
          renewQuietly();
        }
        asking = refusal instanceof JedisAskDataException;
        // TRYAGAIN: the move may have ended meanwhile, the owner says where the keys are
        node = refusal instanceof JedisRedirectionException r ? r.getTargetNode() : null;
      }
    }
  }

  private <T> T onSlot(int slot, Function<Jedis, T> command) {
    try (Jedis jedis = new Jedis(provider.getConnectionFromSlot(slot))) {
      return command.apply(jedis);
    } catch (JedisConnectionException e) {
      renewQuietly(); // a master may have failed over: the next call asks the cluster afresh
      throw e;
    }
  }

  /**
   * Runs the command on the node named by a redirection. ASKING lets the next command only in:
   * a call of several (a pipeline, NOSCRIPT then the script again) meets MOVED back to the old
   * owner for the rest, and is sent again from there until the move ends.
   */
  private <T> T onNode(HostAndPort node, boolean asking, Function<Jedis, T> command) {
    try (Jedis jedis = new Jedis(provider.getConnection(node))) {
      if (asking) {
        jedis.asking();
      }
      return command.apply(jedis);
    } catch (JedisConnectionException e) {
      renewQuietly();
      throw e;
    }
  }

  /**
   * Runs the command on each master in turn; the answers by master's host:port, sorted. The
   * masters are the nodes the slot map names, read afresh each time: Jedis's own list of
   * masters is filled once, at the start, and after a failover still holds the failed master's
   * pool (closed when the slot map was read again) and not the replica promoted in its place.
   */
  <T> Map<String, T> onEachMaster(Function<Jedis, T> command) {
    Map<String, T> answers = new TreeMap<>();
    for (HostAndPort master : masters()) {
      try (Jedis jedis = new Jedis(provider.getConnection(master))) {
        answers.put(master.toString(), command.apply(jedis));
      } catch (JedisConnectionException e) {
        renewQuietly();
        throw e;
      }
    }
    return answers;
  }

  /**
   * The masters that serve a slot in the map. Jedis refuses a map in which a slot has no master
   * (a lost shard's node forgotten under {@code cluster-require-full-coverage no}; until then
   * the map names the lost master) and keeps the one it had, unless {@code
   * jedis.cluster.initNoError} is set (docs/CLUSTER.md). With it, a slot without one sends the
   * map to be read again, then is warned of once; while the hole lasts the map is read again
   * at most every {@link #HOLE_RECHECK_NANOS}, not for each call (a MOVED or a lost connection
   * still reads it). The masters of the other slots answer: only a map with no master at all
   * is an outage.
   */
  private Set<HostAndPort> masters() {
    Set<HostAndPort> masters = new LinkedHashSet<>();
    boolean full = readMasters(masters);
    long now = System.nanoTime();
    if (!full && (!hole || now - holeCheckedAt > HOLE_RECHECK_NANOS)) {
      holeCheckedAt = now;
      renewQuietly();
      masters.clear();
      full = readMasters(masters);
      if (!full && !hole) {
        hole = true;
        log.warn("a slot of the Redis Cluster has no master (a lost shard's node forgotten"
            + " under cluster-require-full-coverage no): its queues are unavailable; jobq answers"
            + " from the other masters {} until the slot is served again (give it a master:"
            + " CLUSTER ADDSLOTS, or redis-cli --cluster fix)", masters);
      }
    }
    if (full && hole) {
      hole = false;
      log.info("every slot of the Redis Cluster has a master again");
    }
    if (masters.isEmpty()) {
      renewQuietly();
      throw new JedisConnectionException("no master serves any slot in the slot map jobq read"
          + " last; it reads the map again before the next call");
    }
    return masters;
  }

  /** Adds the master of each slot; false when a slot has none. */
  private boolean readMasters(Set<HostAndPort> masters) {
    boolean full = true;
    HostAndPort last = null;
    for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
      HostAndPort node = provider.getNode(slot);
      if (node == null) {
        full = false;
      } else if (!node.equals(last)) { // slots come in long runs of one master
        masters.add(node);
      }
      last = node;
    }
    return full;
  }

  /** The host:port of the master that serves the slot, as this client last learnt it. */
  String masterOf(int slot) {
    HostAndPort node = provider.getNode(slot);
    if (node == null) {
      provider.renewSlotCache();
      node = provider.getNode(slot);
    }
    return node == null ? null : node.toString();
  }

  private void renewQuietly() {
    try {
      provider.renewSlotCache();
    } catch (JedisException e) {
      // no node answers either: the caller reports the outage it met
    }
  }

  @Override
  public void close() {
    provider.close();
  }
}
