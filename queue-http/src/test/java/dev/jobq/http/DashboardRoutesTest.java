package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's files as served, under a base path, without a browser. */
class DashboardRoutesTest extends ApiTestBase {
  @Override
  String basePath() {
    return "/jobq";
  }

  @Test
  void thePageIsServedAtTheBasePathWithAContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = fetch("/jobq/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(SecurityHeaders.CONTENT_SECURITY_POLICY);
    assertThat(page.body()).contains("src=\"ui/app.js\"").doesNotContain("http");
  }

  @Test
  void theBasePathWithoutItsSlashRedirectsSoRelativeLinksWork() throws Exception {
    HttpResponse<String> answer = fetch("/jobq");

    assertThat(answer.statusCode()).isIn(301, 302);
    assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/jobq/"));
  }

  @Test
  void uPlotComesFromItsWebjar() throws Exception {
    HttpResponse<String> script = fetch("/jobq/ui/uplot.js");
    HttpResponse<String> style = fetch("/jobq/ui/uplot.css");

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("uPlot");
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/javascript"));
    assertThat(style.statusCode()).isEqualTo(200);
  }

  @Test
  void aFileOutsideTheDashboardIsNotServed() throws Exception {
    assertProblem(fetch("/jobq/ui/nothing.js"), 404, "nothing.js");
    assertProblem(fetch("/jobq/ui/%2E%2E%2Flogback-test.xml"), 404, "open the dashboard");
    assertProblem(fetch("/jobq/ui/HttpApi.class"), 404, "HttpApi.class");
  }

  @Test
  void everyFileOfTheDashboardTogetherWeighsUnder300Kilobytes() throws Exception {
    long own;
    try (Stream<Path> files = Files.list(Path.of(
        DashboardRoutes.class.getResource("/dev/jobq/http/dashboard/").toURI()))) {
      own = files.mapToLong(DashboardRoutesTest::size).sum();
    }
    long uplot = fetch("/jobq/ui/uplot.js").body().length() + fetch("/jobq/ui/uplot.css").body().length();

    assertThat(own + uplot).isLessThan(300 * 1024);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> fetch(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
