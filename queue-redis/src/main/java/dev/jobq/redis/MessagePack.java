package dev.jobq.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a job as the scripts store it: a MessagePack map (Lua's cmsgpack) of field name to a
 * string or number. Every value is answered as text, numbers in decimal, as a Redis hash would
 * answer them; a nested array or map (a job edited by hand) reads as absent (null), as does nil. A
 * value that is not a map, or not MessagePack, is an {@link IllegalArgumentException} naming the
 * byte.
 */
final class MessagePack {
  /** cmsgpack packs at most 16 levels; a deeper value was not written by it. */
  private static final int MAX_DEPTH = 16;

  private final byte[] in;
  private int at;

  private MessagePack(byte[] in) {
    this.in = in;
  }

  static Map<String, String> readMap(byte[] packed) {
    MessagePack r = new MessagePack(packed);
    int size = r.count(r.mapHeader(), 2);
    Map<String, String> fields = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      fields.put(r.scalar(0), r.scalar(0));
    }
    return fields;
  }

  /**
   * Only the named fields of the map, the other values skipped unread: a reader that needs two
   * fields of many jobs does not decode their payloads.
   */
  static Map<String, String> readFields(byte[] packed, Set<String> wanted) {
    MessagePack r = new MessagePack(packed);
    int size = r.count(r.mapHeader(), 2);
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < size; i++) {
      String name = r.scalar(0);
      if (wanted.contains(name)) {
        fields.put(name, r.scalar(0));
      } else {
        r.skip(0);
      }
    }
    return fields;
  }

  /** Moves past one value of any kind. */
  private void skip(int depth) {
    int b = u8();
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
      return;
    }
    if ((b & 0xe0) == 0xa0) {
      advance(b & 0x1f);
      return;
    }
    switch (b) {
      case 0xd9, 0xc4 -> advance(u8());
      case 0xda, 0xc5 -> advance(u16());
      case 0xdb, 0xc6 -> advance(count(u32(), 1));
      case 0xcc, 0xd0 -> advance(1);
      case 0xcd, 0xd1 -> advance(2);
      case 0xce, 0xd2, 0xca -> advance(4);
      case 0xcf, 0xd3, 0xcb -> advance(8);
      default -> {
        // a nested array or map: its items are skipped the same way, as scalar() reads them
        at--;
        scalar(depth);
      }
    }
  }

  private void advance(int bytes) {
    need(bytes);
    at += bytes;
  }

  private long mapHeader() {
    int b = u8();
    if ((b & 0xf0) == 0x80) {
      return b & 0x0f;
    }
    return switch (b) {
      case 0xde -> u16();
      case 0xdf -> u32();
      // cmsgpack packs a table with no fields as an empty array
      case 0x90 -> 0;
      default -> throw unexpected(b, "a map");
    };
  }

  /** A string, number or boolean as text; nil and a nested array or map as null. */
  private String scalar(int depth) {
    int b = u8();
    if (b <= 0x7f) {
      return Integer.toString(b);
    }
    if (b >= 0xe0) {
      return Integer.toString((byte) b);
    }
    if ((b & 0xe0) == 0xa0) {
      return text(b & 0x1f);
    }
    long nested = (b & 0xf0) == 0x90 ? b & 0x0f : (b & 0xf0) == 0x80 ? 2 * (b & 0x0f)
        : b == 0xdc ? u16() : b == 0xdd ? u32() : b == 0xde ? 2L * u16() : b == 0xdf ? 2 * u32()
        : -1;
    if (nested >= 0) {
      if (depth >= MAX_DEPTH) {
        throw new IllegalArgumentException("values nested deeper than " + MAX_DEPTH);
      }
      for (long i = count(nested, 1); i > 0; i--) {
        scalar(depth + 1);
      }
      return null;
    }
    return switch (b) {
      case 0xc0 -> null;
      case 0xc2 -> "false";
      case 0xc3 -> "true";
      case 0xd9, 0xc4 -> text(u8());
      case 0xda, 0xc5 -> text(u16());
      case 0xdb, 0xc6 -> text(count(u32(), 1));
      case 0xcc -> Integer.toString(u8());
      case 0xcd -> Integer.toString(u16());
      case 0xce -> Long.toString(u32());
      case 0xcf -> Long.toUnsignedString(bits(8));
      case 0xd0 -> Long.toString((byte) bits(1));
      case 0xd1 -> Long.toString((short) bits(2));
      case 0xd2 -> Long.toString((int) bits(4));
      case 0xd3 -> Long.toString(bits(8));
      case 0xca -> number(Float.intBitsToFloat((int) bits(4)));
      case 0xcb -> number(Double.longBitsToDouble(bits(8)));
      default -> throw unexpected(b, "a string or number");
    };
  }

  /** Lua has one number type: a whole one stored as a float still reads as a whole number. */
  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
  }

  private String text(int length) {
    need(length);
    String s = new String(in, at, length, StandardCharsets.UTF_8);
    at += length;
    return s;
  }

  /**
   * A count read from the value, checked against the bytes left (each item takes at least
   * {@code bytesEach}), so that a value edited by hand cannot ask for more than it holds.
   */
  private int count(long n, int bytesEach) {
    if (n < 0 || n * bytesEach > in.length - at) {
      throw new IllegalArgumentException("a count of " + n + " at offset " + at + " is more than"
          + " the " + (in.length - at) + " bytes left");
    }
    return (int) n;
  }

  private int u8() {
    need(1);
    return in[at++] & 0xff;
  }

  private int u16() {
    return (int) bits(2);
  }

  private long u32() {
    return bits(4);
  }

  private long bits(int bytes) {
    need(bytes);
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v = (v << 8) | (in[at++] & 0xff);
    }
    return v;
  }

  private void need(int bytes) {
    if (bytes < 0 || at + bytes > in.length) {
      throw new IllegalArgumentException("the value ends after " + in.length + " bytes where "
          + bytes + " more were expected");
    }
  }

  private IllegalArgumentException unexpected(int b, String what) {
    return new IllegalArgumentException(String.format(
        "byte 0x%02x at offset %d is not %s in MessagePack", b, at - 1, what));
  }
}
