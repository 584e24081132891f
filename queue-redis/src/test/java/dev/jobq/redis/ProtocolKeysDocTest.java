package dev.jobq.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/PROTOCOL.md lists the keys every script gets and counts them: a merge that adds,
 * drops or reorders a key in {@link QueueKey} without the doc (or the other way) fails here.
 */
class ProtocolKeysDocTest {
  private static final Path PROTOCOL =
      Path.of(System.getProperty("user.dir")).getParent().resolve("docs/PROTOCOL.md");

  @Test
  void protocolListsQueueKeysInOrderAndCountsThem() throws IOException {
    String scripts = oneLine(section("## Scripts"));
    Matcher list = Pattern.compile("KEYS are the same (\\d+) for every script, in `QueueKey`'s"
        + " order: (.*?) \\(keys added go last").matcher(scripts);
    assertThat(list.find()).as("PROTOCOL.md's Scripts section lists the keys").isTrue();

    List<String> expected = new ArrayList<>();
    for (QueueKey k : QueueKey.values()) {
      expected.add(k.suffix);
    }
    assertThat(listed(list.group(2))).isEqualTo(expected);
    assertThat(Integer.parseInt(list.group(1))).isEqualTo(expected.size());
    assertThat(scripts).contains("the " + expected.size() + " keys of one queue in this order ("
        + (expected.size() + 4) + " for `upgrade`");
  }

  /** The code spans of the list, with wait:0..3 spelled out. */
  private static List<String> listed(String list) {
    List<String> names = new ArrayList<>();
    Matcher span = Pattern.compile("`([^`]+)`").matcher(list);
    while (span.find()) {
      String name = span.group(1);
      if (name.equals("wait:0..3")) {
        for (int level = 0; level <= 3; level++) {
          names.add("wait:" + level);
        }
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private static String section(String heading) throws IOException {
    String doc = Files.readString(PROTOCOL);
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as(heading + " in " + PROTOCOL).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
