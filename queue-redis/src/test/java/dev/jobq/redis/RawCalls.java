package dev.jobq.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import dev.jobq.contract.MutableClock;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * What the model test does to Redis without the broker: the calls a client in another language
 * would make (EVALSHA with the protocol's ARGV), and the direct reads its checks need.
 */
final class RawCalls implements AutoCloseable {
  /** The bad member of a refused batch: each something JobRequest would not let through. */
  static final List<String> BAD_MEMBERS =
      List.of("priority level 7", "max attempts 0", "timeout_ms 10^13", "an unknown parent");

  private final Jedis jedis;
  private final Keys keys;
  private final MutableClock clock;

  RawCalls(TestRedis redis, Keys keys, MutableClock clock) {
    this.jedis = new Jedis(redis.host(), redis.port());
    this.keys = keys;
    this.clock = clock;
  }

  QueueView view() {
    return QueueView.read(jedis, keys);
  }

  /** Each sequence starts on an empty Redis, so a restart finds only what it saved. */
  void flushAll() {
    jedis.flushAll();
  }

  void save() {
    jedis.save();
  }

  /**
   * Every key under the prefix as hex, so that a write anywhere changes it: DUMPed, but a hash
   * or set by its sorted members, since a read that moves Redis's incremental rehash along
   * changes the order DUMP writes them in.
   */
  Map<String, String> dump(String prefix) {
    Map<String, String> all = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (String key : jedis.keys(prefix + ":*")) {
      byte[] name = key.getBytes(UTF_8);
      String value = switch (jedis.type(key)) {
        case "hash" -> sorted(jedis.hgetAll(name).entrySet().stream()
            .map(e -> hex.formatHex(e.getKey()) + "=" + hex.formatHex(e.getValue())).toList());
        case "set" -> sorted(jedis.smembers(name).stream().map(hex::formatHex).toList());
        case "none" -> "(gone)";
        default -> hex.formatHex(jedis.dump(name));
      };
      all.put(key, value);
    }
    return all;
  }

  private static String sorted(List<String> items) {
    return new TreeSet<>(items).toString();
  }

  /** The keys that differ between two dumps. */
  String diff(Map<String, String> before, Map<String, String> after) {
    TreeSet<String> changed = new TreeSet<>(before.keySet());
    changed.addAll(after.keySet());
    changed.removeIf(k -> java.util.Objects.equals(before.get(k), after.get(k)));
    return "keys changed: " + changed;
  }

  /** Enqueues the batch of ids, the one at {@code bad} carrying the bad value named. */
  Object enqueueWithBadMember(List<String> ids, int bad, String kind) {
    List<String> args = new ArrayList<>(List.of(Long.toString(clock.millis()),
        Integer.toString(ids.size()), "600000", "20"));
    for (int i = 0; i < ids.size(); i++) {
      boolean isBad = i == bad;
      String level = isBad && kind.startsWith("priority") ? "7" : "2";
      String attempts = isBad && kind.startsWith("max attempts") ? "0" : "3";
      args.addAll(List.of(ids.get(i), "t0", "{}", level, attempts, "0"));
      if (isBad && kind.startsWith("timeout")) {
        args.addAll(List.of("1", "timeout_ms", "10000000000000"));
      } else if (isBad && kind.endsWith("parent")) {
        args.addAll(List.of("1", "deps", "no-such-parent"));
      } else {
        args.add("0");
      }
    }
    try {
      return eval(Script.ENQUEUE, args);
    } catch (JedisDataException e) {
      return "error: " + e.getMessage();
    }
  }

  /** An error reply, or a refusal: a list whose first element is a negative number. */
  static boolean refused(Object answer) {
    if (answer instanceof String s) {
      return s.startsWith("error: ");
    }
    return answer instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Long n && n < 0;
  }

  /** complete.lua for one job, as a worker in another language: accepted when it answers 1. */
  boolean complete(String id, long token) {
    List<?> out = (List<?>) eval(Script.COMPLETE, List.of(Long.toString(clock.millis()),
        "600000", "20", "1", id, Long.toString(token), ""));
    return Long.valueOf(1).equals(out.get(0));
  }

  private Object eval(Script script, List<String> args) {
    List<byte[]> argv = args.stream().map(a -> a.getBytes(UTF_8)).toList();
    Object out;
    try {
      out = jedis.evalsha(script.shaBytes, keys.scriptKeys(), argv);
    } catch (JedisNoScriptException e) {
      jedis.scriptLoad(script.source);
      out = jedis.evalsha(script.shaBytes, keys.scriptKeys(), argv);
    }
    return Replies.decoded(out);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
