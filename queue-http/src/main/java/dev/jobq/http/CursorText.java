package dev.jobq.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A cursor travels as base64url, so that it is opaque and safe in a URL. */
final class CursorText {
  private CursorText() {}

  static String encode(String plain) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The plain text of a cursor; IllegalArgumentException when it is not base64url. */
  static String decode(String cursor) {
    return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
  }
}
