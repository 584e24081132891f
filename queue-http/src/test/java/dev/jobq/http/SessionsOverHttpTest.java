package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Signing in to the dashboard: the session cookie, its CSRF token, signing out, brute force. */
class SessionsOverHttpTest extends ApiTestBase {
  static final String ADMIN = "session-test-admin-token-0123456789";
  static final String READER = "session-test-read-token-0123456789";

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().tokens("admin " + ADMIN + "; read " + READER, "test").build();
  }

  @Test
  void signingInAnswersRolesAndCsrfAndSetsAStrictHttpOnlyCookie() throws Exception {
    HttpResponse<String> r = post("/session", "{\"token\":\"" + ADMIN + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.tree(r.body());
    assertThat(body.get("signedIn").asBoolean()).isTrue();
    assertThat(body.get("roles").toString()).isEqualTo("[\"admin\"]");
    assertThat(body.get("csrf").asText()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(r.body()).doesNotContain(ADMIN);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("jobq_session=").contains("; Path=/", "; HttpOnly",
        "; SameSite=Strict").doesNotContain("Secure", "Max-Age", ADMIN);
    assertThat(cookieValue(cookie)).hasSizeGreaterThanOrEqualTo(43); // 32 random bytes
  }

  @Test
  void getAnswersTheSessionsRolesAndCsrfOrNoneWithoutACookie() throws Exception {
    Signed s = signIn(READER);

    JsonNode who = Json.tree(send("GET", "/session", null, s.cookie, null).body());
    JsonNode nobody = Json.tree(get("/session").body());

    assertThat(who.get("roles").toString()).isEqualTo("[\"read\"]");
    assertThat(who.get("csrf").asText()).isEqualTo(s.csrf);
    assertThat(nobody.get("signedIn").asBoolean()).isFalse();
    assertThat(nobody.get("roles")).isEmpty();
    assertThat(nobody.get("csrf").isNull()).isTrue();
  }

  @Test
  void theCookieReadsWithoutCsrfButWritesOnlyWithIt() throws Exception {
    client.enqueue(dev.jobq.JobRequest.builder("t").queue("mail").build());
    Signed s = signIn(ADMIN);

    assertThat(send("GET", "/queues", null, s.cookie, null).statusCode()).isEqualTo(200);
    assertProblem(send("POST", "/queues/mail/pause", "", s.cookie, null), 403, "X-CSRF-Token");
    assertProblem(send("POST", "/queues/mail/pause", "", s.cookie, "not-the-csrf"), 403,
        "X-CSRF-Token");
    assertThat(broker.stats("mail").paused()).as("a refused write changes nothing").isFalse();

    HttpResponse<String> paused = send("POST", "/queues/mail/pause", "", s.cookie, s.csrf);

    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(broker.stats("mail").paused()).isTrue();
  }

  @Test
  void aReadersSessionMayNotAct() throws Exception {
    client.enqueue(dev.jobq.JobRequest.builder("t").queue("mail").build());
    Signed s = signIn(READER);

    assertProblem(send("POST", "/queues/mail/pause", "", s.cookie, s.csrf), 403, "admin");
  }

  @Test
  void withoutACookieOrTokenReadsAreRefusedAndSaySignIn() throws Exception {
    assertProblem(get("/queues"), 401, "sign in (POST /v1/session)");
  }

  @Test
  void signingOutEndsTheSessionAndClearsTheCookie() throws Exception {
    Signed s = signIn(ADMIN);

    assertProblem(send("DELETE", "/session", null, s.cookie, null), 403, "X-CSRF-Token");
    HttpResponse<String> out = send("DELETE", "/session", null, s.cookie, s.csrf);

    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("jobq_session=;").contains("Max-Age=0");
    assertProblem(send("GET", "/queues", null, s.cookie, null), 401, "sign in again");
    assertThat(Json.tree(send("GET", "/session", null, s.cookie, null).body())
        .get("signedIn").asBoolean()).isFalse();
  }

  @Test
  void anUnknownTokenIsRefusedAndABadBodyIsNotEchoed() throws Exception {
    assertProblem(post("/session", "{\"token\":\"not-a-token-of-this-server\"}"), 401,
        "\"token\" is not one this server accepts");
    HttpResponse<String> bad = post("/session", "\"" + ADMIN + "\"");
    assertProblem(bad, 400, "{\"token\": \"<token>\"}");
    assertThat(bad.body()).doesNotContain(ADMIN);
  }

  @Test
  void tenFailedSignInsFromAnAddressRefuseItsNextOnesEvenWithTheRightToken() throws Exception {
    for (int i = 0; i < TokenGuessThrottle.MAX_FAILURES; i++) {
      assertThat(post("/session", "{\"token\":\"guess-number-" + i + "-xxxxxxxx\"}").statusCode())
          .isEqualTo(401);
    }

    HttpResponse<String> refused = post("/session", "{\"token\":\"" + ADMIN + "\"}");

    assertProblem(refused, 429, "try again in");
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Long.parseLong(v)).isBetween(1L, 900L));
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void tenUnknownBearerTokensRefuseTheAddressEvenWithTheRightToken() throws Exception {
    for (int i = 0; i < TokenGuessThrottle.MAX_FAILURES; i++) {
      assertThat(bearerGet("/queues", "guess-number-" + i + "-xxxxxxxx").statusCode())
          .isEqualTo(401);
    }

    HttpResponse<String> refused = bearerGet("/queues", ADMIN);

    assertProblem(refused, 429, "try again in");
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Long.parseLong(v)).isBetween(1L, 900L));
    assertProblem(post("/session", "{\"token\":\"" + ADMIN + "\"}"), 429, "unknown tokens");
  }

  @Test
  void parallelGuessesAreCountedEachOnce() throws Exception {
    int guesses = 3 * TokenGuessThrottle.MAX_FAILURES;
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < guesses; i++) {
      answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/queues"))
          .header("Authorization", "Bearer guess-number-" + i + "-xxxxxxxx").GET().build(),
          HttpResponse.BodyHandlers.ofString()));
    }

    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      statuses.add(answer.get(20, TimeUnit.SECONDS).statusCode());
    }

    assertThat(statuses).filteredOn(s -> s == 401).hasSize(TokenGuessThrottle.MAX_FAILURES);
    assertThat(statuses).filteredOn(s -> s == 429)
        .hasSize(guesses - TokenGuessThrottle.MAX_FAILURES);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeadersOnce() throws Exception {
    for (HttpResponse<String> r : new HttpResponse[] {get("/health"), get("/no-such-route"),
        get("/session")}) {
      assertThat(r.headers().allValues("Content-Security-Policy"))
          .containsExactly(SecurityHeaders.CONTENT_SECURITY_POLICY);
      assertThat(r.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
      assertThat(r.headers().allValues("Referrer-Policy")).containsExactly("same-origin");
    }
  }

  private record Signed(String cookie, String csrf) {}

  private Signed signIn(String token) throws Exception {
    HttpResponse<String> r = post("/session", "{\"token\":\"" + token + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new Signed("jobq_session=" + cookieValue(cookie),
        Json.tree(r.body()).get("csrf").asText());
  }

  private static String cookieValue(String setCookie) {
    return setCookie.substring("jobq_session=".length(), setCookie.indexOf(';'));
  }

  private HttpResponse<String> bearerGet(String path, String token)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body, String cookie,
      String csrf) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (csrf != null) {
      b.header(Access.CSRF_HEADER, csrf);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
