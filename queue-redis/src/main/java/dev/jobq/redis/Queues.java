package dev.jobq.redis;

import dev.jobq.JobqException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues under one prefix, as every part of {@link RedisBroker} reaches them: the keys of
 * each, the scripts run on them, the index of queue names, and the time the scripts are given.
 * Built once by the broker and shared by its parts.
 */
final class Queues {
  final RedisConfig config;
  final Connections redis;
  private final RedisClock clock;
  private final LayoutUpgrade upgrade;
  private final Map<String, Keys> keys = new ConcurrentHashMap<>();
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  Queues(RedisConfig config, Connections redis, RedisClock clock, LayoutUpgrade upgrade) {
    this.config = config;
    this.redis = redis;
    this.clock = clock;
    this.upgrade = upgrade;
  }

  /** Redis's time in milliseconds (see {@link RedisClock}). */
  long now() {
    return clock.millis();
  }

  /**
   * The queue's keys. A queue is looked at once, when this broker first uses it, and again
   * after Redis answers WRONGTYPE: one in the layout of an earlier jobq is refused.
   */
  Keys keys(String queue) {
    Keys k = keys.get(queue);
    if (k == null) {
      k = new Keys(config.prefix(), queue);
      refuseEarlierLayout(k);
      keys.put(queue, k);
    }
    return k;
  }

  private void refuseEarlierLayout(Keys k) {
    if (upgrade.isEarlier(k)) {
      throw new JobqException("queue '" + k.queue + "' was written by jobq before 0.2 (a hash"
          + " per job); stop its workers and producers of that version, then run `jobq doctor"
          + " --repair` once to move it to this layout (RedisBroker.tools().doctor(queue, true)).");
    }
  }

  /** Runs a script on the queue's keys, "now" first; the answer's strings read as text. */
  Object run(Script script, String queue, Object... args) {
    return Replies.decoded(runRaw(script, queue, args));
  }

  Object run(Script script, String queue, List<String> args) {
    return run(script, queue, args.toArray());
  }

  /**
   * As {@link #run}, then, if the configuration asks for it, waits until that many replicas
   * have the writes ({@link RedisConfig#waitReplicas()}): for enqueues, whose loss a failover
   * would hide from the producer.
   */
  Object runReplicated(Script script, String queue, List<String> args) {
    return runReplicated(script, queue, clock.millis(), args);
  }

  /**
   * As {@link #runReplicated}, with {@code now} as the script's ARGV[1]: for a caller that
   * already read the clock, so that what it wrote (a job named after a tick) and what the
   * script records agree.
   */
  Object runReplicated(Script script, String queue, long now, List<String> args) {
    return Replies.decoded(evalAt(script, queue, true, now, args.toArray()));
  }

  /**
   * As {@link #run}, with the answer's strings left as bytes. WRONGTYPE means a key is not what
   * this layout makes it, as when a process of an earlier jobq wrote to the queue after this
   * broker looked at it: the queue is looked at again, and refused if so.
   */
  Object runRaw(Script script, String queue, Object... args) {
    return evalAt(script, queue, false, clock.millis(), args);
  }

  private Object evalAt(Script script, String queue, boolean replicated, long now,
      Object... args) {
    List<byte[]> argv = new ArrayList<>(args.length + 1);
    argv.add(Long.toString(now).getBytes(StandardCharsets.UTF_8));
    for (Object a : args) {
      argv.add(String.valueOf(a).getBytes(StandardCharsets.UTF_8));
    }
    Keys k = keys(queue);
    try {
      return replicated ? redis.evalReplicated(script, k.scriptKeys(), argv)
          : redis.eval(script, k.scriptKeys(), argv);
    } catch (JobqException e) {
      if (String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
        keys.remove(queue);
        refuseEarlierLayout(k);
      }
      throw e;
    }
  }

  /** The queue index lives outside the queue's hash tag, so it cannot join the script. */
  void remember(String queue) {
    if (!known.contains(queue)) {
      redis.call(j -> j.sadd(Keys.queues(Keys.globalBase(config)), queue));
      known.add(queue);
    }
  }

  /** Every queue a producer or operator has used under this prefix, sorted. */
  Set<String> names() {
    Set<String> members = redis.call(j -> j.smembers(Keys.queues(Keys.globalBase(config))));
    return new TreeSet<>(members);
  }
}
