package dev.jobq.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * A slot of a {@link TestCluster} moving from one master to another in steps, as {@code
 * redis-cli --cluster reshard} moves it: {@link #start} marks it IMPORTING on the new master and
 * MIGRATING on the old, {@link #moveKey} migrates one key at a time, {@link #finish} tells every
 * master the new owner (the new one first). Between steps the slot is half-way, for as long as
 * the test likes.
 */
public final class SlotMove {
  private final List<Integer> masters;
  private final int slot;
  private final int fromPort;
  private final int toPort;
  private final String toId;

  private SlotMove(List<Integer> masters, int slot, int fromPort, int toPort, String toId) {
    this.masters = masters;
    this.slot = slot;
    this.fromPort = fromPort;
    this.toPort = toPort;
    this.toId = toId;
  }

  static SlotMove start(List<Integer> masters, int slot, int fromPort, int toPort) {
    if (fromPort == toPort) {
      throw new IllegalArgumentException("slot " + slot + " is on port " + toPort + " already");
    }
    try (Jedis from = node(fromPort); Jedis to = node(toPort)) {
      String toId = to.clusterMyId();
      to.clusterSetSlotImporting(slot, from.clusterMyId());
      from.clusterSetSlotMigrating(slot, toId);
      return new SlotMove(masters, slot, fromPort, toPort, toId);
    }
  }

  public int toPort() {
    return toPort;
  }

  /** The keys of the slot still on the old master. */
  public List<String> keysLeft() {
    try (Jedis from = node(fromPort)) {
      return new ArrayList<>(from.clusterGetKeysInSlot(slot, 10_000));
    }
  }

  /** Migrates one key (gone meanwhile is fine) to the new master. */
  public void moveKey(String key) {
    try (Jedis from = node(fromPort)) {
      from.migrate("127.0.0.1", toPort, 0, 5_000, new MigrateParams(), key);
    }
  }

  /** Migrates every key left, then makes the new master the owner on every master. */
  public void finish() {
    List<String> keys;
    while (!(keys = keysLeft()).isEmpty()) {
      keys.forEach(this::moveKey);
    }
    try (Jedis to = node(toPort)) {
      to.clusterSetSlotNode(slot, toId);
    }
    for (int port : masters) {
      if (port != toPort) {
        try (Jedis master = node(port)) {
          master.clusterSetSlotNode(slot, toId);
        }
      }
    }
  }

  /**
   * How many calls the two masters refused so far with ASK or TRYAGAIN (Redis's error
   * statistics): what clients met while the slot was half-way.
   */
  public long refusals() {
    long n = 0;
    for (int port : List.of(fromPort, toPort)) {
      try (Jedis node = node(port)) {
        for (String line : node.info("errorstats").split("\r?\n")) {
          if (line.startsWith("errorstat_ASK:") || line.startsWith("errorstat_TRYAGAIN:")) {
            n += Long.parseLong(line.replaceAll(".*count=(\\d+).*", "$1"));
          }
        }
      }
    }
    return n;
  }

  private static Jedis node(int port) {
    return new Jedis("127.0.0.1", port);
  }
}
