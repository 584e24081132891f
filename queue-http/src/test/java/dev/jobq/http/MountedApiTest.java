package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API and dashboard mounted as a servlet under /jobq of an application's own Javalin, next
 * to the application's own routes, as queue-http's README shows it.
 */
class MountedApiTest extends ApiTestBase {
  HttpApi mounted;
  Javalin application;
  String root;

  @BeforeEach
  void mountInAnApplication() {
    mounted = HttpApi.create(broker, settings());
    application = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/hello", ctx -> ctx.result("the application's own"));
      config.jetty.modifyServletContextHandler(handler -> {
        ServletHolder holder = new ServletHolder(mounted.servlet());
        holder.setAsyncSupported(true);
        handler.addServlet(holder, "/jobq/*");
      });
    }).start("127.0.0.1", 0);
    root = "http://127.0.0.1:" + application.port();
  }

  @AfterEach
  void stopApplication() {
    application.stop();
    mounted.stop();
  }

  @Test
  void theDashboardAndTheApiAnswerUnderTheMountPathBesideTheApplicationsRoutes()
      throws Exception {
    enqueue("mail", "m1");

    HttpResponse<String> bare = fetch(root + "/jobq");
    assertThat(bare.statusCode()).as("redirected to the page's own folder").isEqualTo(302);
    assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/jobq/");
    HttpResponse<String> page = fetch(root + "/jobq/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"ui/app.js\">");
    assertThat(fetch(root + "/jobq/ui/app.js").statusCode()).isEqualTo(200);

    HttpResponse<String> job = fetch(root + "/jobq/v1/jobs/m1");
    assertThat(job.statusCode()).isEqualTo(200);
    JsonNode answer = Json.tree(job.body());
    assertThat(answer.get("queue").asText()).isEqualTo("mail");
    assertThat(answer.get("status").asText()).isEqualTo("waiting");

    assertThat(fetch(root + "/hello").body()).isEqualTo("the application's own");
  }

  @Test
  void aMountedApiHasNoPortOfItsOwnAndMountsOnce() {
    assertThatThrownBy(() -> mounted.port()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mounted as a servlet");
    assertThatThrownBy(() -> mounted.servlet()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started or mounted");
  }

  private void enqueue(String queue, String id) throws Exception {
    assertThat(post("/queues/" + queue + "/jobs", "{\"type\":\"send\",\"id\":\"" + id
        + "\",\"payload\":{}}").statusCode()).isEqualTo(201);
  }

  private static HttpResponse<String> fetch(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
