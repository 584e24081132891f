package dev.jobq.testing;

import dev.jobq.InvalidJobException;
import java.util.regex.Pattern;

/**
 * The checks the Redis scripts make of their arguments (lib.lua, Input), for the values a Java
 * caller can get wrong: a refusal names the script, the value and what is allowed, in the
 * words the Redis broker uses ({@code jobq: claim: lease (ms) is '0'; allowed: a whole number
 * 1..9007199254740991}), and comes before anything is changed.
 */
final class Input {
  /** 2^53 - 1: times, retentions, counts, tokens. */
  static final long MAX_MS = 9007199254740991L;
  /** JobRequest.MAX_DELAY, for retry delays and run-at times. */
  static final long MAX_DELAY_MS = 5L * 365 * 86_400_000;
  static final long DAY_MS = 86_400_000;
  /** Names.MAX_ID_LENGTH and MAX_TYPE_LENGTH. */
  static final int MAX_NAME = 200;
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:$\\-]*");

  private final String script;
  private String owner;

  private Input(String script) {
    this.script = script;
  }

  static Input of(String script) {
    return new Input(script);
  }

  /** Names the job being checked in refusals ("job 2 (id 'b')"); null for none. */
  Input owner(String owner) {
    this.owner = owner;
    return this;
  }

  long whole(long v, String what, long min, long max) {
    if (v < min || v > max) {
      refuse(what, Long.toString(v), "a whole number " + min + ".." + max);
    }
    return v;
  }

  /** A token or count the caller may hand over as null: refused as the text Redis gets. */
  long whole(Long v, String what, long min, long max) {
    if (v == null) {
      refuse(what, "null", "a whole number " + min + ".." + max);
    }
    return whole(v.longValue(), what, min, max);
  }

  /** An id: the text Redis would get ({@code String.valueOf}), not empty. */
  String nonempty(String v, String what) {
    String text = String.valueOf(v);
    if (text.isEmpty()) {
      refuse(what, text, "text that is not empty");
    }
    return text;
  }

  /** A job type as Names allows it, in lib.lua's words. */
  String jobType(String v, String what) {
    if (v == null || v.length() > MAX_NAME || !TYPE.matcher(v).matches()) {
      refuse(what, String.valueOf(v), "letters, digits and . _ : $ -, starting with a letter or"
          + " digit, at most " + MAX_NAME + " characters");
    }
    return v;
  }

  void refuse(String what, String value, String allowed) {
    throw new InvalidJobException("jobq: " + script + ": " + (owner != null ? owner + ": " : "")
        + what + " is " + shown(value) + "; allowed: " + allowed);
  }

  /** A value as a refusal shows it: quoted, at most 60 characters, control characters escaped. */
  static String shown(String v) {
    StringBuilder s = new StringBuilder("'");
    for (int i = 0; i < Math.min(60, v.length()); i++) {
      char c = v.charAt(i);
      s.append(c < 32 || c == 127 ? String.format("\\%03d", (int) c) : String.valueOf(c));
    }
    s.append('\'');
    return v.length() > 60 ? s + " (" + v.length() + " characters)" : s.toString();
  }
}
