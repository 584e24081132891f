package dev.jobq.http;

import dev.jobq.http.Tokens.Token;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call which route. Each route names the {@link Role} it needs; a caller presents a
 * bearer token whose roles must include it. With no token configured the server only reads;
 * {@link #open()} lets everyone do everything, for tests and a server behind a gate of its own.
 * {@link #holder} is the check itself, for any other front (such as a sign-in page) that takes
 * the same tokens. A request without a bearer header may instead carry the dashboard's session
 * cookie ({@link Sessions}, opened by {@link SessionRoutes}), with the roles of the token it was
 * opened with.
 */
final class Access {
  /** The dashboard's session cookie, set by {@link SessionRoutes}. */
  static final String SESSION_COOKIE = "jobq_session";
  /** The header a write authenticated by the session cookie must carry the session's CSRF in. */
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);
  private static final String HOW_TO_CONFIGURE = "jobq serve --token-file FILE or"
      + " $JOBQ_HTTP_TOKENS (see 'Security' in queue-http's README)";

  private final Tokens tokens;
  private final boolean open;
  final Sessions sessions = new Sessions(Clock.systemUTC());
  final TokenGuessThrottle guesses = new TokenGuessThrottle(Clock.systemUTC());

  private Access(Tokens tokens, boolean open) {
    this.tokens = tokens;
    this.open = open;
  }

  /** Bearer tokens from {@code tokens}; none means read-only. */
  static Access of(Tokens tokens) {
    return new Access(tokens, false);
  }

  /** Every route to everyone, without a token. */
  static Access open() {
    return new Access(Tokens.NONE, true);
  }

  boolean isOpen() {
    return open;
  }

  boolean hasTokens() {
    return !tokens.isEmpty();
  }

  /** "token #1 (admin)", …: the tokens by number and roles, never the tokens. */
  java.util.List<String> describeTokens() {
    return tokens.all().stream().map(Token::toString).toList();
  }

  /** The token {@code presented} is, with its roles; empty when it is none of ours. */
  Optional<Token> holder(String presented) {
    return presented == null ? Optional.empty() : tokens.find(presented);
  }

  /** A before-matched handler: refuses the request unless its caller may call the route. */
  void check(Context ctx) {
    Role needed = needed(ctx);
    if (needed == null || needed == Role.PUBLIC || open) {
      return;
    }
    if (tokens.isEmpty()) {
      if (needed != Role.READ) {
        throw new Problem(403, "read-only", "Read-only server", "this server has no tokens"
            + " configured, so it only reads: " + route(ctx) + " needs the "
            + Tokens.name(needed) + " role; configure tokens (" + HOW_TO_CONFIGURE + ")");
      }
      return;
    }
    Token token = caller(ctx).orElseThrow(() -> unauthorized(ctx));
    if (!token.may(needed)) {
      throw new Problem(403, "forbidden", "Forbidden", token + " may not call " + route(ctx)
          + ": it needs the " + Tokens.name(needed) + " role (or admin); use a token that has it");
    }
    if (needed == Role.ADMIN) {
      // operators' changes are rare and worth a trace; the token is named by number only
      LOG.info("{}: {}", token, route(ctx));
    }
  }

  /**
   * The bearer token's holder; without a bearer header, the signed-in session's, whose writes
   * must carry its CSRF token (a page of another site can make the browser send the cookie, but
   * cannot read the CSRF token to send it along). An unknown bearer token counts as a guess,
   * and an address that guessed too often is refused even with a right one, unless it used
   * that one before.
   */
  private Optional<Token> caller(Context ctx) {
    String bearer = bearer(ctx);
    if (bearer != null) {
      Optional<Token> holder = holder(bearer);
      guesses.tryToken(ctx, holder.map(Token::toString).orElse(null));
      return holder;
    }
    Optional<Sessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
    session.ifPresent(s -> checkCsrf(ctx, s));
    return session.map(Sessions.Session::token);
  }

  /** Refuses a write of a session that does not carry the session's CSRF token. */
  static void checkCsrf(Context ctx, Sessions.Session session) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("HEAD")
        || session.acceptsCsrf(ctx.header(CSRF_HEADER))) {
      return;
    }
    throw new Problem(403, "csrf", "Forbidden", route(ctx) + " is signed in by the session"
        + " cookie but its header " + CSRF_HEADER + " is " + (ctx.header(CSRF_HEADER) == null
        ? "missing" : "not the session's") + ": send the \"csrf\" that POST or GET /v1/session"
        + " answered");
  }

  /**
   * The route's role. Every route names one; a route without (the CORS plugin's preflight answer)
   * is let through only for OPTIONS, so a route registered without a role fails closed.
   */
  private static Role needed(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      if (ctx.method().name().equals("OPTIONS")) {
        return null;
      }
      throw new Problem(500, "internal", "Internal error", route(ctx)
          + " names no role, so it is refused; this is a bug in the server");
    }
    return (Role) roles.iterator().next();
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).strip();
  }

  private static Problem unauthorized(Context ctx) {
    boolean presented = bearer(ctx) != null;
    ctx.header("WWW-Authenticate", presented
        ? "Bearer realm=\"jobq\", error=\"invalid_token\"" : "Bearer realm=\"jobq\"");
    String signIn = ctx.cookie(SESSION_COOKIE) != null
        ? "; the dashboard's session has ended: sign in again" : " or sign in (POST /v1/session)";
    return new Problem(401, "unauthorized", "Unauthorized", presented
        ? "the bearer token is not one this server accepts; check it against the token file"
        : route(ctx) + " needs a token: send 'Authorization: Bearer <token>'" + signIn);
  }

  private static String route(Context ctx) {
    return ctx.method().name() + " " + ctx.path();
  }
}
