package dev.jobq.redis;

import dev.jobq.JobqException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the Redis server says of itself: its run id, its INFO, settings that put jobs at risk. */
final class RedisServer {
  private static final Logger log = LoggerFactory.getLogger(RedisServer.class);

  private final Connections redis;
  private final boolean cluster;

  RedisServer(Connections redis, boolean cluster) {
    this.redis = redis;
    this.cluster = cluster;
  }

  /**
   * A server restarted from a snapshot has a new run id; null when INFO does not say. Under a
   * cluster, every master's, sorted and joined by commas: a restart or a failover of any of
   * them changes it.
   */
  String runId() {
    List<String> ids = new ArrayList<>(redis.onEveryNode(j -> runIdIn(j.info("server"))));
    if (ids.contains(null)) {
      return null;
    }
    Collections.sort(ids);
    return String.join(",", ids);
  }

  private static String runIdIn(String info) {
    for (String line : info.lines().toList()) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return null;
  }

  /** Of the node that holds the keys of no queue (under a cluster, one master). */
  Map<String, String> info(String section) {
    return fields(redis.call(j -> j.info(section)));
  }

  /** Of every master under a cluster, by its host:port; of the one server otherwise. */
  Map<String, Map<String, String>> infoByNode(String section) {
    Map<String, Map<String, String>> byNode = new LinkedHashMap<>();
    redis.byNode(j -> j.info(section)).forEach((node, info) -> byNode.put(node, fields(info)));
    return byNode;
  }

  private static Map<String, String> fields(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  /**
   * Under a cluster, of every master; a warning that holds for several is given once, naming
   * them: {@code "… (on 10.0.0.1:7000, 10.0.0.2:7000)"}. On one server, as it is.
   */
  List<String> warnings() {
    Map<String, List<String>> nodesOf = new LinkedHashMap<>();
    warningsByNode().forEach((node, warnings) -> warnings.forEach(
        w -> nodesOf.computeIfAbsent(w, k -> new ArrayList<>()).add(node)));
    return nodesOf.entrySet().stream().map(e -> cluster
        ? e.getKey() + " (on " + String.join(", ", e.getValue()) + ")" : e.getKey()).toList();
  }

  /** Each node's warnings, named as {@link #infoByNode} names them; empty lists included. */
  Map<String, List<String>> warningsByNode() {
    Map<String, List<String>> byNode = new LinkedHashMap<>();
    try {
      redis.byNode(j -> j.configGet("maxmemory-policy", "appendonly", "save"))
          .forEach((node, conf) -> {
            Set<String> warnings = new LinkedHashSet<>();
            warn(conf, warnings);
            byNode.put(node, List.copyOf(warnings));
          });
    } catch (JobqException e) {
      // a managed Redis may forbid CONFIG: no warning is better than no broker
      log.debug("cannot read the Redis configuration: {}", e.getMessage());
      return Map.of();
    }
    return byNode;
  }

  private static void warn(Map<String, String> conf, Set<String> warnings) {
    String policy = conf.getOrDefault("maxmemory-policy", "noeviction");
    if (!policy.equals("noeviction")) {
      warnings.add("Redis maxmemory-policy is " + policy + ": under memory pressure Redis may"
          + " evict job keys and lose jobs; set it to noeviction");
    }
    if ("no".equals(conf.get("appendonly")) && conf.getOrDefault("save", "").isBlank()) {
      warnings.add("Redis persists nothing (appendonly no, no save points): a Redis restart"
          + " loses every job; set appendonly yes");
    }
  }
}
