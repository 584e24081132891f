package dev.jobq.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * The masters of a Redis Cluster, reached by slot: a call runs on the node that serves the slot
 * of the keys it names, through a {@link Jedis} over a pooled connection to that node, so call
 * sites read as on one server. Jedis's map of slots to nodes is refreshed when a node answers
 * MOVED (the slot has moved for good), and the call runs once more on the new owner; ASK (a slot
 * half-way through a move) sends that one call to the node named. A node refuses a command on
 * another node's slot before it runs it, so running the call again writes nothing twice.
 */
final class ClusterNodes implements AutoCloseable {
  private final ClusterConnectionProvider provider;

  ClusterNodes(ClusterConnectionProvider provider) {
    this.provider = provider;
  }

  <T> T call(int slot, Function<Jedis, T> command) {
    try {
      return onSlot(slot, command);
    } catch (JedisAskDataException e) {
      return asking(e.getTargetNode(), command);
    } catch (JedisMovedDataException e) {
      provider.renewSlotCache();
      return onSlot(slot, command);
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
   * Runs the command on each master in turn; the answers in no set order. The masters are the
   * nodes the slot map names, read afresh each time: Jedis's own list of masters is filled once,
   * at the start, and after a failover still holds the failed master's pool (closed when the
   * slot map was read again) and not the replica promoted in its place.
   */
  <T> List<T> onEachMaster(Function<Jedis, T> command) {
    List<T> answers = new ArrayList<>();
    for (HostAndPort master : masters()) {
      try (Jedis jedis = new Jedis(provider.getConnection(master))) {
        answers.add(command.apply(jedis));
      } catch (JedisConnectionException e) {
        renewQuietly();
        throw e;
      }
    }
    return answers;
  }

  /** A slot that no master serves (a failover under way) is an outage, as CLUSTERDOWN is. */
  private Set<HostAndPort> masters() {
    Set<HostAndPort> masters = new LinkedHashSet<>();
    for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
      HostAndPort node = provider.getNode(slot);
      if (node == null) {
        renewQuietly();
        throw new JedisConnectionException("no master serves slot " + slot + " in the slot map"
            + " jobq read last; it reads the map again before the next call");
      }
      masters.add(node);
    }
    return masters;
  }

  private <T> T asking(HostAndPort node, Function<Jedis, T> command) {
    try (Jedis jedis = new Jedis(provider.getConnection(node))) {
      jedis.asking();
      return command.apply(jedis);
    }
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
