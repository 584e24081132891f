package dev.jobq.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Script answers as Redis sends them: bulk strings arrive as bytes (a claimed job is binary),
 * integers as Long, arrays as lists.
 */
final class Replies {
  private Replies() {}

  static String text(Object reply) {
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) reply;
  }

  /** The answer with every bulk string read as UTF-8 text. */
  static Object decoded(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(decoded(o));
      }
      return out;
    }
    return reply;
  }
}
