package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Raw EVALSHA calls that break a script's rules, as a client in another language could send
 * them: each is refused with an error naming the script and the value (or answered with a
 * refusal PROTOCOL.md lists), and every key of the queue is byte for byte as it was.
 */
class HostileScriptCallsTest {
  static final String NOW = Long.toString(Fixture.START.toEpochMilli());
  /** A valid job's seven values before its options: id, type, payload, level, attempts, run at. */
  static final List<String> JOB = List.of("x1", "t", "{}", "2", "3", "0");

  final Fixture f = new Fixture();
  Keys keys;

  @BeforeEach
  void aQueueWithJobsInEveryState() {
    keys = new Keys(f.prefix, "default");
    f.client.enqueue(job("t").id("a1").build());
    f.client.enqueue(job("t").id("c1").build());
    List<Job> claimed = f.broker.claim("default", "w", 2, Duration.ofMinutes(1));
    f.broker.complete("default", "c1", claimed.get(1).token(), "1");
    f.client.enqueue(job("t").id("w1").build());
    f.client.enqueue(job("t").id("d1").delay(Duration.ofMinutes(5)).build());
    f.client.enqueue(job("t").id("u1").unique("k", Duration.ofMinutes(5)).build());
  }

  @AfterEach
  void close() {
    f.close();
  }

  static Stream<Arguments> hostileCalls() {
    List<Arguments> calls = new ArrayList<>();
    add(calls, Script.ENQUEUE, "no arguments");
    add(calls, Script.ENQUEUE, "now not a number", "abc", "0", "0", "1");
    add(calls, Script.ENQUEUE, "now NaN", "nan", "0", "0", "1");
    add(calls, Script.ENQUEUE, "a negative count", NOW, "-1", "0", "1");
    add(calls, Script.ENQUEUE, "a count of 2 with one job", enqueue(2, valid(0)));
    add(calls, Script.ENQUEUE, "a count beyond the arguments", NOW, "1000000000000", "0", "1");
    add(calls, Script.ENQUEUE, "a valid job, then priority level 7",
        enqueue(2, valid(0), values("b", "t", "{}", "7", "3", "0", "0")));
    for (String level : List.of("inf", "-inf", "1e0", "0x1", " 1", "1.5", "", "-1", "4")) {
      add(calls, Script.ENQUEUE, "priority level '" + level + "'",
          enqueue(1, values("b", "t", "{}", level, "3", "0", "0")));
    }
    add(calls, Script.ENQUEUE, "max attempts 0", enqueue(1, values("b", "t", "{}", "1", "0", "0", "0")));
    add(calls, Script.ENQUEUE, "run at -5", enqueue(1, values("b", "t", "{}", "1", "3", "-5", "0")));
    add(calls, Script.ENQUEUE, "run at in a hundred years",
        enqueue(1, values("b", "t", "{}", "1", "3", "5000000000000", "0")));
    add(calls, Script.ENQUEUE, "an empty id", enqueue(1, values("", "t", "{}", "1", "3", "0", "0")));
    add(calls, Script.ENQUEUE, "an id with a space", enqueue(1, values("a b", "t", "{}", "1", "3", "0", "0")));
    add(calls, Script.ENQUEUE, "an id with braces", enqueue(1, values("{q}", "t", "{}", "1", "3", "0", "0")));
    add(calls, Script.ENQUEUE, "an empty type", enqueue(1, values("b", "", "{}", "1", "3", "0", "0")));
    add(calls, Script.ENQUEUE, "a negative option count", enqueue(1, values("b", "t", "{}", "1", "3", "0", "-1")));
    add(calls, Script.ENQUEUE, "more options than there are", concat(enqueue(1, JOB), "99"));
    add(calls, Script.ENQUEUE, "an unknown option", enqueue(1, valid(1, "bogus", "1")));
    add(calls, Script.ENQUEUE, "timeout_ms 10^13", enqueue(1, valid(1, "timeout_ms", "10000000000000")));
    add(calls, Script.ENQUEUE, "timeout_ms 0", enqueue(1, valid(1, "timeout_ms", "0")));
    add(calls, Script.ENQUEUE, "unique without unique_ms", enqueue(1, valid(1, "unique", "k2")));
    add(calls, Script.ENQUEUE, "unique_ms 0", enqueue(1, valid(2, "unique", "k2", "unique_ms", "0")));
    add(calls, Script.ENQUEUE, "unique_ms 31 days",
        enqueue(1, valid(2, "unique", "k2", "unique_ms", "2678400000")));
    add(calls, Script.ENQUEUE, "deps with an empty id", enqueue(1, valid(1, "deps", "a1,,w1")));
    add(calls, Script.ENQUEUE, "101 parents",
        enqueue(1, valid(1, "deps", String.join(",", Collections.nCopies(101, "a1")))));
    add(calls, Script.ENQUEUE, "headers not JSON", enqueue(1, valid(1, "headers", "not json")));
    add(calls, Script.ENQUEUE, "headers of numbers", enqueue(1, valid(1, "headers", "{\"a\":1}")));
    add(calls, Script.ENQUEUE, "escalate an array", enqueue(1, valid(1, "escalate", "[]")));
    add(calls, Script.ENQUEUE, "deps_anyway 2", enqueue(1, valid(1, "deps_anyway", "2")));
    add(calls, Script.ENQUEUE, "replace 0", enqueue(1, valid(1, "replace", "0")));
    add(calls, Script.ENQUEUE, "a tick of two values", concat(enqueue(1, valid(0)), "s", "1"));
    add(calls, Script.ENQUEUE, "a tick without its next",
        concat(enqueue(1, valid(0)), "s", "tick", "1"));
    add(calls, Script.ENQUEUE, "a tick due at 'soon'",
        concat(enqueue(1, valid(0)), "s", "tick", "soon", "2"));
    add(calls, Script.ENQUEUE, "a firing neither tick nor trigger",
        concat(enqueue(1, valid(0)), "s", "later", "1", "2"));
    add(calls, Script.ENQUEUE, "a trigger without its definition",
        concat(enqueue(1, valid(0)), "s", "trigger"));
    add(calls, Script.ENQUEUE, "a trigger with a tick and its next",
        concat(enqueue(1, valid(0)), "s", "trigger", "1", "2"));
    add(calls, Script.ENQUEUE, "a trigger of an empty name",
        concat(enqueue(1, valid(0)), "", "trigger", "{}"));
    add(calls, Script.ENQUEUE, "a trigger of an empty definition",
        concat(enqueue(1, valid(0)), "s", "trigger", ""));
    add(calls, Script.ENQUEUE, "two jobs for one schedule", concat(enqueue(2, valid(0),
        values("b", "t", "{}", "2", "3", "0", "0")), "s", "trigger", "{}"));

    add(calls, Script.CLAIM, "no arguments");
    add(calls, Script.CLAIM, "no lease", NOW, "w", "1");
    add(calls, Script.CLAIM, "an empty worker id", NOW, "", "1", "1000");
    add(calls, Script.CLAIM, "max 'abc'", NOW, "w", "abc", "1000");
    add(calls, Script.CLAIM, "max -1", NOW, "w", "-1", "1000");
    add(calls, Script.CLAIM, "lease 0", NOW, "w", "1", "0");
    add(calls, Script.CLAIM, "lease inf", NOW, "w", "1", "inf");
    add(calls, Script.CLAIM, "a job type with a space", NOW, "w", "1", "1000", "x", "x y");
    add(calls, Script.CLAIM, "an empty job type", NOW, "w", "1", "1000", "");

    add(calls, Script.HEARTBEAT, "an odd count", NOW, "1000", "a1");
    add(calls, Script.HEARTBEAT, "lease 'x'", NOW, "x", "a1", "1");
    add(calls, Script.HEARTBEAT, "token 'abc'", NOW, "1000", "a1", "abc");
    add(calls, Script.HEARTBEAT, "an empty id", NOW, "1000", "", "1");
    refused(calls, Script.HEARTBEAT, "an unknown id", "[0]", NOW, "1000", "nope", "1");

    add(calls, Script.COMPLETE, "a count that is not the arguments'", NOW, "1000", "10", "2", "a1", "1", "");
    add(calls, Script.COMPLETE, "a negative count", NOW, "1000", "10", "-1");
    add(calls, Script.COMPLETE, "token 'x'", NOW, "1000", "10", "1", "a1", "x", "");
    add(calls, Script.COMPLETE, "retention -1", NOW, "-1", "10", "1", "a1", "1", "");
    add(calls, Script.COMPLETE, "none kept", NOW, "1000", "0", "1", "a1", "1", "");
    refused(calls, Script.COMPLETE, "an unknown id", "[-1]", NOW, "1000", "10", "1", "nope", "1", "");
    refused(calls, Script.COMPLETE, "a stale token", "[-3]", NOW, "1000", "10", "1", "a1", "7", "");

    add(calls, Script.FAIL, "too few arguments", NOW, "a1", "1", "E", "m", "s");
    add(calls, Script.FAIL, "too many arguments", NOW, "a1", "1", "E", "m", "s", "-1", "", "0", "0", "1", "x");
    add(calls, Script.FAIL, "delay -2", NOW, "a1", "1", "E", "m", "s", "-2");
    add(calls, Script.FAIL, "delay 'soon'", NOW, "a1", "1", "E", "m", "s", "soon");
    add(calls, Script.FAIL, "token NaN", NOW, "a1", "nan", "E", "m", "s", "-1");
    add(calls, Script.FAIL, "failed retention 'x'", NOW, "a1", "1", "E", "m", "s", "-1", "", "x");
    refused(calls, Script.FAIL, "an unknown id", "-1", NOW, "nope", "1", "E", "m", "s", "-1");

    add(calls, Script.REAP, "a job without its escalation", NOW, "0", "0", "10", "a1", "1", "-1");
    add(calls, Script.REAP, "delay -5", NOW, "0", "0", "10", "a1", "1", "-5", "");
    add(calls, Script.REAP, "kept 'many'", NOW, "0", "0", "many");
    refused(calls, Script.REAP, "an unknown id", "[0, 0]", NOW, "0", "0", "10", "nope", "1", "-1", "");

    add(calls, Script.RELEASE, "no token", NOW, "a1");
    add(calls, Script.RELEASE, "token 'x'", NOW, "a1", "x");
    refused(calls, Script.RELEASE, "an unknown id", "-1", NOW, "nope", "1");

    add(calls, Script.PROGRESS, "no progress", NOW, "a1", "1");
    add(calls, Script.PROGRESS, "token '1.0'", NOW, "a1", "1.0", "{}");
    refused(calls, Script.PROGRESS, "an unknown id", "-1", NOW, "nope", "1", "{}");

    add(calls, Script.CANCEL, "retention 'x'", NOW, "x", "10", "w1");
    add(calls, Script.CANCEL, "kept -1", NOW, "1000", "-1", "w1");
    add(calls, Script.CANCEL, "an empty id", NOW, "1000", "10", "w1", "");
    refused(calls, Script.CANCEL, "an unknown id", "[-1]", NOW, "1000", "10", "nope");

    add(calls, Script.RETRY_FAILED, "limit 0", NOW, "0");
    add(calls, Script.RETRY_FAILED, "limit 'x'", NOW, "x", "a1");
    refused(calls, Script.RETRY_FAILED, "ids that are not failed", "0", NOW, "10", "nope", "w1");

    add(calls, Script.CLEAR, "dry run 2", NOW, "2", "0", "10");
    add(calls, Script.CLEAR, "limit 0", NOW, "0", "0", "0");
    add(calls, Script.CLEAR, "three arguments", NOW, "0", "0");

    add(calls, Script.DELETE, "no id", NOW, "1000", "10");
    add(calls, Script.DELETE, "none kept", NOW, "1000", "0", "w1");
    add(calls, Script.DELETE, "an empty id", NOW, "1000", "10", "");
    refused(calls, Script.DELETE, "an unknown id", "-1", NOW, "1000", "10", "nope");
    refused(calls, Script.DELETE, "an active job", "-8", NOW, "1000", "10", "a1");

    add(calls, Script.RUN_NOW, "no id", NOW);
    add(calls, Script.RUN_NOW, "an empty id", NOW, "");
    refused(calls, Script.RUN_NOW, "an unknown id", "-1", NOW, "nope");
    refused(calls, Script.RUN_NOW, "a waiting job", "-8", NOW, "w1");

    add(calls, Script.PURGE, "cutoff 'x'", NOW, "x", "10");
    add(calls, Script.PURGE, "limit -1", NOW, "0", "-1");
    add(calls, Script.PURGE, "four arguments", NOW, "0", "10", "1");

    add(calls, Script.REPAIR, "an unknown action", NOW, "explode", "w1", "");
    add(calls, Script.REPAIR, "a repair without its places", NOW, "drop", "w1");
    refused(calls, Script.REPAIR, "an id that has a job", "[0]", NOW, "drop", "w1", "wait:2");

    add(calls, Script.WAKE, "now 'x'", "x");
    add(calls, Script.WAKE, "two arguments", NOW, "1");

    add(calls, Script.EXPIRE, "four arguments", NOW, "1000", "10", "0");
    add(calls, Script.EXPIRE, "retention 'x'", NOW, "x", "10", "0", "0");
    add(calls, Script.EXPIRE, "none kept", NOW, "1000", "0", "0", "0");

    add(calls, Script.UPGRADE, "the 25 keys of a script without its 4 lists", NOW, "10");
    return calls.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hostileCalls")
  void isRefusedAndWritesNothing(Script script, String what, String refusal, List<String> argv) {
    assertRefusedUnchanged(script, keys.scriptKeys(), argv, refusal);
  }

  @Test
  void keysOfAnotherQueueOrOutOfOrderAreRefused() {
    List<byte[]> fewer = keys.scriptKeys().subList(0, QueueKey.values().length - 1);
    List<byte[]> mixed = new ArrayList<>(keys.scriptKeys());
    int active = QueueKey.ACTIVE.ordinal();
    mixed.set(active, new Keys(f.prefix, "other").scriptKeys().get(active));
    List<byte[]> swapped = new ArrayList<>(keys.scriptKeys());
    Collections.swap(swapped, QueueKey.WAIT_0.ordinal(), QueueKey.DELAYED.ordinal());
    List<String> valid = enqueue(1, valid(0));
    for (List<byte[]> k : List.of(fewer, mixed, swapped)) {
      assertRefusedUnchanged(Script.ENQUEUE, k, valid, null);
      assertRefusedUnchanged(Script.CLAIM, k, List.of(NOW, "w", "1", "1000"), null);
    }
  }

  @Test
  void theIssuesBatchWritesNeitherJob() {
    assertThatThrownBy(() -> eval(Script.ENQUEUE, keys.scriptKeys(),
        enqueue(2, valid(0), values("b", "t", "{}", "7", "3", "0", "0"))))
        .hasMessage("ERR jobq: enqueue: job 2 (id 'b'): priority level is '7'; allowed: a whole"
            + " number 0..3");
    assertThat(f.storedIds("default")).doesNotContain("x1", "b");
    assertThat(f.client.enqueue(job("t").id("x1").build()).created()).isTrue();
  }

  @Test
  void aScriptThatFailsHalfWayWritesNoJob() {
    // the uniqueness hash made a string: enqueue fails at its HSET, after making the job
    f.jedis.set(keys.unique(), "not a hash");

    assertThatThrownBy(() -> f.client.enqueue(
        job("t").id("half").unique("k2", Duration.ofMinutes(5)).build()))
        .hasMessageContaining("WRONGTYPE");

    assertThat(f.storedIds("default")).doesNotContain("half");
    f.jedis.del(keys.unique());
  }

  @Test
  void javaCallersGetTheRefusalAsAnInvalidJobException() {
    assertThatThrownBy(() -> f.broker.claim("default", "w", 1, Duration.ZERO))
        .isInstanceOf(InvalidJobException.class)
        .hasMessage("jobq: claim: lease (ms) is '0'; allowed: a whole number 1..9007199254740991");
  }

  private void assertRefusedUnchanged(Script script, List<byte[]> k, List<String> argv,
      String refusal) {
    Map<String, String> before = snapshot();
    if (refusal == null) {
      assertThatThrownBy(() -> eval(script, k, argv))
          .isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("ERR jobq: " + script.name().toLowerCase() + ": ");
    } else {
      assertThat(String.valueOf(Replies.decoded(eval(script, k, argv)))).isEqualTo(refusal);
    }
    assertThat(snapshot()).as("keys after %s %s", script, argv).isEqualTo(before);
  }

  private Object eval(Script script, List<byte[]> k, List<String> argv) {
    f.jedis.scriptLoad(script.source);
    return f.jedis.evalsha(script.shaBytes, k, argv.stream().map(a -> a.getBytes(UTF_8)).toList());
  }

  /**
   * Every key under the test's prefix with its value: a hash or set as its sorted fields (a
   * hash table's DUMP follows its buckets, which a read may rehash), the rest as its DUMP.
   */
  private Map<String, String> snapshot() {
    Map<String, String> values = new TreeMap<>();
    for (String key : f.keys()) {
      byte[] k = key.getBytes(UTF_8);
      String value = switch (f.jedis.type(key)) {
        case "hash" -> new TreeMap<>(f.jedis.hgetAll(k).entrySet().stream().collect(
            java.util.stream.Collectors.toMap(e -> hex(e.getKey()), e -> hex(e.getValue())))).toString();
        case "set" -> new TreeMap<>(f.jedis.smembers(key).stream().collect(
            java.util.stream.Collectors.toMap(m -> m, m -> ""))).toString();
        default -> hex(f.jedis.dump(k));
      };
      values.put(key, value);
    }
    return values;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static void add(List<Arguments> calls, Script script, String what, String... argv) {
    refused(calls, script, what, null, argv);
  }

  private static void add(List<Arguments> calls, Script script, String what, List<String> argv) {
    calls.add(arguments(script, what, null, argv));
  }

  private static void refused(List<Arguments> calls, Script script, String what, String refusal,
      String... argv) {
    calls.add(arguments(script, what, refusal, List.of(argv)));
  }

  /** ARGV of an enqueue: now, the count, retention and kept, then the jobs' values. */
  private static List<String> enqueue(int count, List<?>... jobs) {
    List<String> argv = new ArrayList<>(List.of(NOW, Integer.toString(count), "1000", "10"));
    for (List<?> j : jobs) {
      j.forEach(v -> argv.add((String) v));
    }
    return argv;
  }

  /** The valid job with n options, given as name/value pairs. */
  private static List<String> valid(int n, String... options) {
    return concat(concat(JOB, Integer.toString(n)), options);
  }

  private static List<String> values(String... values) {
    return List.of(values);
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
