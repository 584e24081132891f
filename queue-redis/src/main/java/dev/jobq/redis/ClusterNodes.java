package dev.jobq.redis;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
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

  /** Runs the command on each master in turn; the answers by master's host:port, sorted. */
  <T> Map<String, T> onEachMaster(Function<Jedis, T> command) {
    Map<String, T> answers = new TreeMap<>();
    for (Map.Entry<String, ConnectionPool> master : provider.getPrimaryNodes().entrySet()) {
      try (Jedis jedis = new Jedis(master.getValue().getResource())) {
        answers.put(master.getKey(), command.apply(jedis));
      }
    }
    return answers;
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
