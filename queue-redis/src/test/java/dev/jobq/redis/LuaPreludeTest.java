package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the scripts see of the Java tables is those tables: keys, reply codes, status moves. */
class LuaPreludeTest {
  final Fixture f = new Fixture();
  final Keys keys = new Keys(f.prefix, "default");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void eachKeyLocalIsTheKeyKeysSendsInItsPlace() {
    List<String> names = new ArrayList<>();
    for (QueueKey k : QueueKey.values()) {
      names.add(k.name());
    }
    Object out = eval("return {" + String.join(", ", names) + "}");

    List<String> sent = keys.scriptKeys().stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    assertThat(out).isEqualTo(sent);
    assertThat(sent.get(QueueKey.ACTIVE.ordinal())).isEqualTo(keys.active());
    assertThat(sent.get(QueueKey.WAIT_2.ordinal())).isEqualTo(keys.waiting(2));
  }

  @Test
  void eachReplyLocalHoldsItsCode() {
    for (Reply r : Reply.values()) {
      assertThat(eval("return " + r.name())).as(r.name()).isEqualTo(r.code);
    }
  }

  @Test
  void theMovesTableIsJobStatusesTable() {
    Object out = eval("local out = {}\n"
        + "for from, row in pairs(MOVES) do for to in pairs(row) do"
        + " out[#out + 1] = from .. '>' .. to end end\n"
        + "for to in pairs(INITIAL) do out[#out + 1] = 'new>' .. to end\n"
        + "return out");

    Set<String> expected = new TreeSet<>();
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        if (from.canMoveTo(to)) {
          expected.add(from + ">" + to);
        }
      }
    }
    JobStatus.INITIAL.forEach(s -> expected.add("new>" + s));
    assertThat(new TreeSet<>((List<?>) out)).isEqualTo(expected);
  }

  @Test
  void codesDifferWithinTheAnswersOfEachScript() {
    for (Set<Reply> answers : Reply.ANSWER_SETS) {
      assertThat(answers.stream().map(r -> r.code).distinct().count())
          .as(answers.toString()).isEqualTo(answers.size());
    }
    assertThat(Reply.of(-1L, Reply.CANCEL)).isEqualTo(Reply.NOT_FOUND);
    assertThat(Reply.of(2L, Reply.FAIL)).isEqualTo(Reply.DEAD_LETTERED);
    assertThat(EnumSet.copyOf(Reply.ANSWER_SETS.stream().flatMap(Set::stream).toList()))
        .as("every reply is some script's answer").isEqualTo(EnumSet.allOf(Reply.class));
  }

  @Test
  void aCodeTheScriptDoesNotAnswerIsAnError() {
    assertThatThrownBy(() -> Reply.of(0L, Reply.CANCEL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a script answered 0, which is none of");
  }

  /** The chunk run after the generated locals, with a queue's KEYS. */
  private Object eval(String chunk) {
    return Replies.decoded(f.jedis.eval(LuaPrelude.text() + chunk, keys.scriptKeys().stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList(), List.of()));
  }
}
