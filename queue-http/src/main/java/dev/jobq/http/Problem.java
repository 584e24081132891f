package dev.jobq.http;

import dev.jobq.internal.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request as RFC 9457 {@code application/problem+json}: {@code type}, {@code title},
 * {@code status} and a {@code detail} that names the field, the value and what to do.
 */
final class Problem extends RuntimeException {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://jobq.dev/problems/";

  final int status;
  final String slug;
  final String title;

  Problem(int status, String slug, String title, String detail) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  static Problem badRequest(String detail) {
    return new Problem(400, "invalid-request", "Invalid request", detail);
  }

  static Problem notFound(String slug, String detail) {
    return new Problem(404, slug, "Not found", detail);
  }

  static Problem tooLarge(String detail) {
    return new Problem(413, "too-large", "Request too large", detail);
  }

  void write(Context ctx) {
    write(ctx, status, slug, title, getMessage());
  }

  static void write(Context ctx, int status, String slug, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + slug);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.encode(body));
  }
}
