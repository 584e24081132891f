package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} when the settings protect it: a reading route like the others. */
class ProtectedMetricsTest extends ApiTestBase {
  static final String READER = MetricsTest.READER;

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().tokens("read " + READER, "test").protectMetrics().build();
  }

  @Test
  void aScrapeWithoutAReadTokenIsUnauthorized() throws Exception {
    assertProblem(metrics(null), 401, "GET /metrics needs a token");
    assertProblem(metrics("wrong-0123456789abcdef"), 401, "not one this server accepts");
  }

  @Test
  void aReadTokenScrapesThem() throws Exception {
    client.enqueue(dev.jobq.JobRequest.builder("jobq.noop").queue("mail").build());
    HttpResponse<String> r = metrics(READER);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("# TYPE jobq_queue_jobs gauge");
  }

  @Test
  void theSettingsSayWhetherMetricsArePublic() {
    assertThat(settings().publicMetrics()).isFalse();
    assertThat(HttpSettings.defaults().publicMetrics()).isTrue();
  }

  HttpResponse<String> metrics(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/metrics")).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
