package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * The invariant every test ends with: each job id of a queue is in exactly one of its sets, its
 * hash exists (finished jobs may have expired by retention) and its status names that set.
 */
final class Invariants {
  private Invariants() {}

  static List<String> violations(Jedis jedis, String prefix, String queue) {
    Keys k = new Keys(prefix, queue);
    Map<String, String> where = new HashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> sets = new HashMap<>();
    for (int level = 0; level < 4; level++) {
      sets.put(k.waiting(level), "WAITING");
    }
    sets.put(k.delayed(), "DELAYED");
    sets.put(k.active(), "ACTIVE");
    sets.put(k.blocked(), "BLOCKED");
    sets.put(k.failed(), "FAILED");
    sets.put(k.completed(), "COMPLETED");
    sets.put(k.cancelled(), "CANCELLED");
    for (Map.Entry<String, String> set : sets.entrySet()) {
      for (String id : jedis.zrange(set.getKey(), 0, -1)) {
        String before = where.put(id, set.getKey());
        if (before != null) {
          problems.add(id + " is in both " + before + " and " + set.getKey());
        }
        Map<String, String> h = jedis.hgetAll(k.job(id));
        boolean finished = set.getValue().matches("COMPLETED|CANCELLED");
        if (h.isEmpty() && !finished) {
          problems.add(id + " is in " + set.getKey() + " but has no hash");
        } else if (!h.isEmpty() && !set.getValue().equals(h.get("status"))) {
          problems.add(id + " is in " + set.getKey() + " but its status is " + h.get("status"));
        } else if (set.getValue().equals("WAITING")
            && !set.getKey().equals(k.waiting(Integer.parseInt(h.get("pri"))))) {
          problems.add(id + " waits in " + set.getKey() + " but has priority " + h.get("pri"));
        }
      }
    }
    for (String key : jedis.keys(k.jobPrefix() + "*")) {
      String id = key.substring(k.jobPrefix().length());
      if (!where.containsKey(id)) {
        problems.add(id + " has a hash but is in no set");
      }
    }
    return problems;
  }

  static void assertHold(Jedis jedis, String prefix, String queue) {
    assertThat(violations(jedis, prefix, queue)).as("invariants of queue " + queue).isEmpty();
  }
}
