package dev.jobq.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The headers every answer carries, set in one place before any route runs: a
 * Content-Security-Policy that lets a page run only this server's own files (the dashboard has no
 * inline script or style and calls no other origin), no MIME sniffing, and no full URL in the
 * Referer sent elsewhere. The API page ({@link DocsRoutes}) replaces the policy with its own.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self';"
      + " style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void register(RoutesConfig routes) {
    routes.before(SecurityHeaders::set);
  }

  private static void set(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
  }
}
