package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobRequest;
import dev.jobq.Limit;
import dev.jobq.Schedule;
import dev.jobq.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OpenApiTest extends ApiTestBase {
  private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"([^\"]+)\"");

  @Test
  void everyRouteServedIsDescribedWithItsRole() throws Exception {
    JsonNode paths = description().get("paths");
    List<String> routes = api.routes();
    assertThat(routes).as("the routes the app registered").hasSizeGreaterThan(15);
    for (String route : routes) {
      String[] parts = route.split(" ");
      if (parts[1].equals("/") || parts[1].startsWith("/ui/")) {
        continue; // the dashboard's files, not the API: DashboardRoutesTest serves them
      }
      assertThat(parts[1]).as(route).startsWith("/v1/");
      JsonNode operation = paths.path(parts[1].substring("/v1".length()))
          .path(parts[0].toLowerCase(Locale.ROOT));
      assertThat(operation.isObject()).as(route + " is in openapi.json").isTrue();
      assertThat(operation.path("x-jobq-role").asText())
          .as(route + ": its role in openapi.json").isEqualTo(parts[2].toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void everyDocumentedOperationIsServedWithItsRole() throws Exception {
    List<String> routes = api.routes();
    for (Operation op : operations(description())) {
      if (!op.pending()) {
        assertThat(routes).as("documented and not pending, so served")
            .contains(op.method() + " /v1" + op.path() + " " + op.role().toUpperCase(Locale.ROOT));
      }
    }
  }

  @Test
  void everyDocumentedOperationAnswers() throws Exception {
    String id = client.enqueue(JobRequest.builder("email.send").queue("mail").build()).jobId();
    // a limit and a schedule to remove, so their DELETEs answer 200, not their own 404
    client.setLimit("mail", Limit.running("email.send", 3));
    client.addSchedule(Schedule.every("nightly", Duration.ofHours(1),
        JobRequest.builder("report").queue("mail")));
    int called = 0;
    List<Operation> operations = new ArrayList<>(operations(description()));
    // DELETEs last, the job's the very last: the operations before them need what they remove
    operations.sort(Comparator.comparing((Operation op) -> op.method().equals("DELETE"))
        .thenComparing(op -> op.path().equals("/jobs/{id}")));
    for (Operation op : operations) {
      if (op.pending()) {
        continue; // its route lands from another branch
      }
      String path = op.path().replace("{q}", "mail").replace("{id}", id)
          .replace("{file}", "docs.js").replace("{type}", "email.send")
          .replace("{name}", "nightly");
      int status = call(op.method(), path);
      assertThat(status).as(op.method() + " " + path).isNotIn(404, 405).isLessThan(500);
      called++;
    }
    assertThat(called).isGreaterThan(15);
  }

  @Test
  void serversNameTheBasePathTheApiRunsUnder() throws Exception {
    assertThat(description().at("/servers/0/url").asText()).isEqualTo("/v1");
    HttpApi underBase = HttpApi.create(broker).start("127.0.0.1", 0, "/jobq");
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + underBase.port() + "/jobq/v1/openapi.json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(Json.tree(r.body()).at("/servers/0/url").asText()).isEqualTo("/jobq/v1");
    } finally {
      underBase.stop();
    }
  }

  @Test
  void docsPageIsHtmlWhoseScriptsAndStylesAnswer() throws Exception {
    HttpResponse<String> page = get("/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(DocsRoutes.CONTENT_SECURITY_POLICY);
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .contains("data-url=\"/v1/openapi.json\"");
    List<String> assets = new ArrayList<>();
    Matcher m = ASSET.matcher(page.body());
    while (m.find()) {
      assets.add(m.group(1));
    }
    assertThat(assets).anyMatch(a -> a.contains("swagger-ui-bundle.js"))
        .anyMatch(a -> a.contains("swagger-ui.css")).anyMatch(a -> a.contains("docs.js"));
    String origin = "http://127.0.0.1:" + api.port();
    for (String asset : assets) {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(origin + asset))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset).isNotEmpty();
    }
  }

  @Test
  void unknownDocsFileIsRefused() throws Exception {
    assertProblem(get("/docs/index.html"), 404, "no file 'index.html'");
  }

  private JsonNode description() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/openapi.json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.tree(r.body());
  }

  private record Operation(String method, String path, String role, boolean pending) {}

  private static List<Operation> operations(JsonNode description) {
    List<Operation> operations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = description.get("paths").fields();
        paths.hasNext();) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
        Map.Entry<String, JsonNode> op = ops.next();
        operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(),
            op.getValue().path("x-jobq-role").asText(),
            op.getValue().path("x-jobq-pending").asBoolean(false)));
      }
    }
    return operations;
  }

  /** The status a minimal request answers; a stream is closed once its status is known. */
  private int call(String method, String path) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("DELETE")
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").method(method, body).build();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }
}
