package dev.jobq.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The API's own description, OpenAPI 3 written by hand in {@code openapi.json} beside this class,
 * and an interactive page over it: Swagger UI from its webjar on the classpath, so that nothing
 * is fetched from the internet when the page is opened.
 */
final class DocsRoutes {
  static final String SWAGGER_UI_VERSION = swaggerUiVersion();
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/"
      + SWAGGER_UI_VERSION + "/";
  private static final String OWN = "dev/jobq/http/docs/";
  private static final String DESCRIPTION = "dev/jobq/http/openapi.json";

  /** The page's files, each with its type and where it is on the classpath. */
  private static final Map<String, Asset> ASSETS = Map.of(
      "swagger-ui.css", new Asset("text/css", SWAGGER_UI),
      "swagger-ui-bundle.js", new Asset("text/javascript", SWAGGER_UI),
      "favicon-32x32.png", new Asset("image/png", SWAGGER_UI),
      "docs.css", new Asset("text/css", OWN),
      "docs.js", new Asset("text/javascript", OWN));

  /**
   * The page's scripts are all files of this server (none inline, none elsewhere); Swagger UI sets
   * style attributes and shows data: images, hence those two exceptions.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:;"
      + " style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none';"
      + " frame-ancestors 'self'";

  private record Asset(String contentType, String folder) {}

  private final ObjectNode description = (ObjectNode) Json.tree(ClasspathFiles.text(DESCRIPTION));
  private final String page = ClasspathFiles.text(OWN + "docs.html");

  void register(RoutesConfig routes) {
    routes.get("/v1/openapi.json", this::openApi, Role.PUBLIC);
    routes.get("/v1/docs", this::page, Role.PUBLIC);
    routes.get("/v1/docs/{file}", this::asset, Role.PUBLIC);
  }

  /** The description, its server being this one's {@code /v1} under the base path it runs at. */
  private void openApi(Context ctx) {
    ObjectNode copy = description.deepCopy();
    copy.withArray("servers").removeAll().addObject()
        .put("url", basePath(ctx) + "/v1")
        .put("description", "this server");
    JobRoutes.json(ctx, copy);
  }

  private void page(Context ctx) {
    String base = basePath(ctx) + "/v1";
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.contentType("text/html; charset=utf-8").result(page
        .replace("{{assets}}", html(base + "/docs"))
        .replace("{{spec}}", html(base + "/openapi.json"))
        .replace("{{version}}", html(SWAGGER_UI_VERSION)));
  }

  private void asset(Context ctx) {
    String file = ctx.pathParam("file");
    Asset asset = ASSETS.get(file);
    byte[] body = asset == null ? null : ClasspathFiles.read(asset.folder() + file);
    if (body == null) {
      throw Problem.notFound("file-not-found", "no file '" + Names.printable(file)
          + "' in the API page: it has " + new TreeSet<>(ASSETS.keySet()));
    }
    // the page asks for each file with ?v=<Swagger UI version>, so a new version is a new URL
    ctx.header("Cache-Control", "public, max-age=86400")
        .contentType(asset.contentType()).result(body);
  }

  /** {@code ""} at the root, else the base path such as {@code /jobq}. */
  private static String basePath(Context ctx) {
    String path = ctx.contextPath();
    return path == null || path.equals("/") ? "" : path;
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** The webjar's version, from its Maven properties, so that a version bump needs no code. */
  private static String swaggerUiVersion() {
    Properties p = new Properties();
    try {
      p.load(new StringReader(ClasspathFiles.text(
          "META-INF/maven/org.webjars/swagger-ui/pom.properties")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }
}
