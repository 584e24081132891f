package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.JobRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTest extends ApiTestBase {
  static final String ADMIN = "admin-0123456789abcdef";
  static final String READER = "read-0123456789abcdef";
  static final String PRODUCER = "produce-0123456789abcdef";
  static final String WORKER = "work-0123456789abcdef";
  static final String JOB = "{\"type\":\"jobq.noop\"}";
  static final String CLAIM = "{\"worker\":\"w1\"}";

  @Override
  HttpSettings settings() {
    return HttpSettings.builder()
        .tokens("admin " + ADMIN + "; read " + READER, "JOBQ_HTTP_TOKENS")
        .tokens("produce " + PRODUCER + ";work " + WORKER, "more")
        .build();
  }

  @Test
  void aCallWithoutTokenIsUnauthorizedAndAsksForABearerToken() throws Exception {
    HttpResponse<String> r = get("/queues");

    assertProblem(r, 401, "needs a token: send 'Authorization: Bearer <token>'");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jobq\"");
  }

  @Test
  void anUnknownTokenIsUnauthorizedHoweverCloseItComes() throws Exception {
    String lastCharChanged = READER.substring(0, READER.length() - 1) + "0";
    for (String guess : new String[] {lastCharChanged, READER.substring(1), READER + "x",
        READER.toUpperCase(), "x"}) {
      HttpResponse<String> r = call("GET", "/queues", null, guess);

      assertProblem(r, 401, "not one this server accepts");
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(
          "Bearer realm=\"jobq\", error=\"invalid_token\"");
      assertThat(r.body()).doesNotContain(guess);
    }
  }

  @Test
  void everyTokenMayRead() throws Exception {
    client.enqueue(JobRequest.builder("jobq.noop").queue("q").build());
    for (String token : new String[] {ADMIN, READER, PRODUCER, WORKER}) {
      assertThat(call("GET", "/queues", null, token).statusCode()).isEqualTo(200);
      assertThat(call("GET", "/queues/q/stats", null, "Bearer", token).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void onlyProduceAndAdminTokensMayEnqueue() throws Exception {
    assertThat(call("POST", "/queues/q/jobs", JOB, PRODUCER).statusCode()).isEqualTo(201);
    assertThat(call("POST", "/queues/q/jobs", JOB, ADMIN).statusCode()).isEqualTo(201);
    Map<String, String> before = keys();

    for (String token : new String[] {READER, WORKER}) {
      HttpResponse<String> r = call("POST", "/queues/q/jobs", JOB, token);

      assertProblem(r, 403, "needs the produce role (or admin)");
      assertThat(r.body()).contains("may not call POST /v1/queues/q/jobs").doesNotContain(token);
    }
    assertThat(keys()).isEqualTo(before);
  }

  @Test
  void onlyWorkAndAdminTokensMayClaim() throws Exception {
    client.enqueue(JobRequest.builder("jobq.noop").queue("q").build());
    Map<String, String> before = keys();

    HttpResponse<String> refused = call("POST", "/queues/q/claim", CLAIM, PRODUCER);

    assertProblem(refused, 403, "needs the work role");
    assertThat(refused.body()).contains("token #3 (produce)");
    assertThat(keys()).isEqualTo(before);
    assertThat(call("POST", "/queues/q/claim", CLAIM, WORKER).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/queues/q/claim", CLAIM, ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void theSchemeIsCaseInsensitiveButMustBeBearer() throws Exception {
    assertThat(call("GET", "/queues", null, "bearer", READER).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/queues", null, "Basic", READER).statusCode()).isEqualTo(401);
  }

  @Test
  void theCheckAnswersAPresentedTokensRoles() {
    Access access = settings().access;

    assertThat(access.holder(ADMIN)).hasValueSatisfying(t -> {
      assertThat(t.number()).isEqualTo(1);
      assertThat(t.may(Role.ADMIN)).isTrue();
      assertThat(t.may(Role.WORK)).isTrue();
    });
    assertThat(access.holder(WORKER)).hasValueSatisfying(t -> {
      assertThat(t.toString()).isEqualTo("token #4 (work)");
      assertThat(t.may(Role.READ)).isTrue();
      assertThat(t.may(Role.PRODUCE)).isFalse();
      assertThat(t.may(Role.ADMIN)).isFalse();
    });
    assertThat(access.holder(WORKER + " ")).isEmpty();
    assertThat(access.holder(null)).isEmpty();
    assertThat(access.describeTokens()).containsExactly("token #1 (admin)", "token #2 (read)",
        "token #3 (produce)", "token #4 (work)");
  }

  @Test
  void withoutTokensTheApiOnlyReads() throws Exception {
    HttpApi readOnly = HttpApi.create(broker).start("127.0.0.1", 0, "");
    try {
      String root = "http://127.0.0.1:" + readOnly.port() + "/v1";
      client.enqueue(JobRequest.builder("jobq.noop").queue("q").build());
      Map<String, String> before = keys();

      assertThat(send(root, "GET", "/queues", null, null).statusCode()).isEqualTo(200);
      HttpResponse<String> enqueue = send(root, "POST", "/queues/q/jobs", JOB, null);
      HttpResponse<String> claim = send(root, "POST", "/queues/q/claim", CLAIM, null);

      assertProblem(enqueue, 403, "no tokens configured, so it only reads");
      assertProblem(enqueue, 403, "needs the produce role; configure tokens (jobq serve"
          + " --token-file FILE or $JOBQ_HTTP_TOKENS");
      assertProblem(claim, 403, "needs the work role");
      assertThat(keys()).isEqualTo(before);
    } finally {
      readOnly.stop();
    }
  }

  @Test
  void withoutTokensTheApiRefusesToServeBeyondLoopback() {
    HttpApi api = HttpApi.create(broker);

    assertThatThrownBy(() -> api.start("0.0.0.0", 0, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind address 0.0.0.0 is not a loopback address")
        .hasMessageContaining("configure tokens");
  }

  @Test
  void withTokensTheApiMayServeAnyAddress() throws Exception {
    HttpApi api = HttpApi.create(broker, settings()).start("0.0.0.0", 0, "");
    try {
      String root = "http://127.0.0.1:" + api.port() + "/v1";
      assertThat(send(root, "GET", "/queues", null, "Bearer " + READER).statusCode())
          .isEqualTo(200);
    } finally {
      api.stop();
    }
  }

  HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    return call(method, path, body, "Bearer", token);
  }

  HttpResponse<String> call(String method, String path, String body, String scheme, String token)
      throws Exception {
    return send(base, method, path, body, scheme + " " + token);
  }

  static HttpResponse<String> send(String root, String method, String path, String body,
      String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
