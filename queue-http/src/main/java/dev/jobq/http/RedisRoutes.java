package dev.jobq.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /v1/redis}: the Redis server's version, memory and persistence, and the warnings
 * workers log about its settings (no persistence, an eviction policy that can drop jobs). Only a
 * server given Redis's facts ({@link HttpApi#redisFacts}) has them; any other answers 404. Under
 * a cluster, given each node's facts too ({@link HttpApi#redisNodes}), it lists every master's
 * beside them, each with its own warnings: a cluster's masters are configured one by one.
 */
final class RedisRoutes {
  private final Function<String, Map<String, String>> info;
  private final Supplier<List<String>> warnings;
  private final Function<String, Map<String, Map<String, String>>> nodeInfo;
  private final Supplier<Map<String, List<String>>> nodeWarnings;

  /** The first two null when the broker is not Redis; the last two when not given. */
  RedisRoutes(Function<String, Map<String, String>> info, Supplier<List<String>> warnings,
      Function<String, Map<String, Map<String, String>>> nodeInfo,
      Supplier<Map<String, List<String>>> nodeWarnings) {
    this.info = info;
    this.warnings = warnings;
    this.nodeInfo = nodeInfo;
    this.nodeWarnings = nodeWarnings;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/redis", this::facts, Role.READ);
  }

  private void facts(Context ctx) {
    if (info == null) {
      throw Problem.notFound("not-available", "Redis's facts are not available: this server's"
          + " broker is not a Redis broker");
    }
    Map<String, Map<String, String>> byNode = nodeInfo == null ? Map.of()
        : nodeInfo.apply("default");
    boolean cluster = byNode.values().stream().anyMatch(i -> "cluster".equals(i.get("redis_mode")));
    JobRoutes.json(ctx, cluster ? clusterFacts(byNode) : oneServerFacts(byNode));
  }

  /** One server (or Sentinel's master): the one INFO already read, else read now. */
  private Map<String, Object> oneServerFacts(Map<String, Map<String, String>> byNode) {
    Map<String, Object> body = facts(byNode.size() == 1 ? byNode.values().iterator().next()
        : info.apply("default"));
    body.put("warnings", warnings.get());
    return body;
  }

  /**
   * Every master's INFO read once: the figures at the top are the first master's (by
   * host:port), its warnings every master's, each once, naming the masters, as the broker
   * merges them (this module does not see the Redis module's code, so it asks rather than
   * merging a second copy; the masters' configuration is read twice).
   */
  private Map<String, Object> clusterFacts(Map<String, Map<String, String>> byNode) {
    Map<String, List<String>> warned = nodeWarnings.get();
    Map<String, Object> body = facts(byNode.values().iterator().next());
    body.put("warnings", warnings.get());
    List<Map<String, Object>> nodes = new ArrayList<>();
    byNode.forEach((node, i) -> {
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("node", node);
      facts.putAll(facts(i));
      facts.put("warnings", warned.getOrDefault(node, List.of()));
      nodes.add(facts);
    });
    body.put("nodes", nodes);
    return body;
  }

  private static Map<String, Object> facts(Map<String, String> i) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", i.get("redis_version"));
    body.put("mode", i.get("redis_mode"));
    body.put("uptimeSeconds", number(i.get("uptime_in_seconds")));
    body.put("connectedClients", number(i.get("connected_clients")));
    body.put("usedMemory", i.get("used_memory_human"));
    body.put("maxMemory", "0B".equals(i.get("maxmemory_human")) ? "none"
        : i.get("maxmemory_human"));
    body.put("maxMemoryPolicy", i.get("maxmemory_policy"));
    body.put("aof", "1".equals(i.get("aof_enabled")) ? "on" : "off");
    Long lastSave = number(i.get("rdb_last_save_time"));
    body.put("lastSnapshot", lastSave == null || lastSave == 0 ? null
        : Instant.ofEpochSecond(lastSave).toString());
    return body;
  }

  private static Long number(String value) {
    try {
      return value == null ? null : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
