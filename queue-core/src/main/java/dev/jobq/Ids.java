package dev.jobq;

import java.security.SecureRandom;

/** Makes job ids: 20 characters, ordered by creation time, random enough never to collide. */
final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final ThreadLocal<java.util.SplittableRandom> RANDOM =
      ThreadLocal.withInitial(() -> new java.util.SplittableRandom(SEEDS.nextLong()));

  private Ids() {}

  static String newId() {
    char[] out = new char[20];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long random = RANDOM.get().nextLong();
    for (int i = 10; i < 20; i++) {
      out[i] = ALPHABET[(int) (random & 31)];
      random >>>= 5;
    }
    return new String(out);
  }
}
