package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Browsers may call the API only from the origins configured, and never without a token. */
class CorsTest extends ApiTestBase {
  static final String ALLOWED = "https://ops.example.com";

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().tokens("produce " + AccessTest.PRODUCER, "test")
        .corsOrigin(ALLOWED).corsOrigin("http://localhost:3000").build();
  }

  @Test
  void aPreflightFromAConfiguredOriginIsAllowedWithoutAToken() throws Exception {
    HttpResponse<String> r = preflight(ALLOWED);

    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
        h -> assertThat(h).containsIgnoringCase("authorization"));
  }

  @Test
  void aPreflightFromAnotherOriginIsNotAllowed() throws Exception {
    HttpResponse<String> r = preflight("https://evil.example.com");

    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aCallFromAConfiguredOriginStillNeedsItsToken() throws Exception {
    HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(base + "/queues/q/jobs"))
        .header("Origin", ALLOWED).POST(HttpRequest.BodyPublishers.ofString(AccessTest.JOB));

    HttpResponse<String> without = HTTP.send(call.build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> with = HTTP.send(
        call.header("Authorization", "Bearer " + AccessTest.PRODUCER).build(),
        HttpResponse.BodyHandlers.ofString());

    assertProblem(without, 401, "needs a token");
    assertThat(with.statusCode()).isEqualTo(201);
    assertThat(with.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
  }

  @Test
  void withoutConfiguredOriginsNoCorsHeaderIsSent() throws Exception {
    HttpApi plain = HttpApi.create(broker, HttpSettings.builder().openAccess().build())
        .start("127.0.0.1", 0, "");
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + plain.port() + "/v1/queues"))
          .header("Origin", ALLOWED).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    } finally {
      plain.stop();
    }
  }

  HttpResponse<String> preflight(String origin) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/queues/q/jobs"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
