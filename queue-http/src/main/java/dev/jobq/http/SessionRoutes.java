package dev.jobq.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.http.Sessions.Session;
import dev.jobq.http.Tokens.Token;
import dev.jobq.internal.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in to the dashboard with an API token: {@code POST /v1/session} checks the token and
 * sets an HttpOnly, SameSite=Strict session cookie (Secure over TLS), {@code GET} answers who is
 * signed in, {@code DELETE} signs out. Each answers {@code {roles, csrf}}: the roles of the
 * token, and the CSRF token the page sends with every write. The token itself is never kept in
 * the browser, logged nor answered.
 */
final class SessionRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);

  private final Access access;
  private final boolean secure;

  SessionRoutes(HttpSettings settings) {
    this.access = settings.access;
    this.secure = settings.usesTls();
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/session", this::signIn, Role.PUBLIC);
    routes.get("/v1/session", this::who, Role.PUBLIC);
    routes.delete("/v1/session", this::signOut, Role.PUBLIC);
  }

  private void signIn(Context ctx) {
    if (access.isOpen()) {
      throw new Problem(403, "open-access", "No sign-in needed", "this server is open: every"
          + " route answers without a token, so there is nothing to sign in to");
    }
    if (!access.hasTokens()) {
      throw new Problem(403, "read-only", "Read-only server", "this server has no tokens"
          + " configured, so there is nothing to sign in with and it only reads; configure tokens"
          + " (jobq serve --token-file FILE or $JOBQ_HTTP_TOKENS)");
    }
    String address = ctx.ip();
    Optional<Token> token = access.holder(tokenOf(ctx.body()));
    access.guesses.tryToken(ctx, token.map(Token::toString).orElse(null));
    if (token.isEmpty()) {
      LOG.info("a sign-in from {} failed: unknown token", address);
      throw new Problem(401, "unauthorized", "Unauthorized", "\"token\" is not one this server"
          + " accepts: give a token of the token file (an admin's to act, any to read)");
    }
    Session session = access.sessions.open(token.get());
    LOG.info("{} signed in from {}", token.get(), address);
    ctx.header("Set-Cookie", cookie(ctx, session.id(), false));
    JobRoutes.json(ctx, answer(Optional.of(session)));
  }

  private void who(Context ctx) {
    JobRoutes.json(ctx, answer(access.sessions.find(ctx.cookie(Access.SESSION_COOKIE))));
  }

  private void signOut(Context ctx) {
    String id = ctx.cookie(Access.SESSION_COOKIE);
    Optional<Session> session = access.sessions.find(id);
    session.ifPresent(s -> Access.checkCsrf(ctx, s));
    access.sessions.close(id);
    session.ifPresent(s -> LOG.info("{} signed out", s.token()));
    ctx.header("Set-Cookie", cookie(ctx, "", true));
    JobRoutes.json(ctx, answer(Optional.empty()));
  }

  /** The roles and CSRF token of the session; no roles and a null CSRF token without one. */
  private static Map<String, Object> answer(Optional<Session> session) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("signedIn", session.isPresent());
    body.put("roles", session.map(s -> s.token().roles().stream().map(Tokens::name).sorted()
        .toList()).orElse(List.of()));
    body.put("csrf", session.map(Session::csrf).orElse(null));
    return body;
  }

  /** The token of a body {"token": "…"}; null for any other body, which is never echoed. */
  private static String tokenOf(String body) {
    try {
      JsonNode token = Json.mapper().readTree(body == null ? "" : body).path("token");
      if (token.isTextual()) {
        return token.asText();
      }
    } catch (Exception e) {
      // the body may hold a token: the refusal below says what to send, not what came
    }
    throw Problem.badRequest("the body must be a JSON object {\"token\": \"<token>\"}");
  }

  private String cookie(Context ctx, String value, boolean expire) {
    String path = ctx.contextPath().isEmpty() ? "/" : ctx.contextPath();
    return Access.SESSION_COOKIE + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
  }
}
