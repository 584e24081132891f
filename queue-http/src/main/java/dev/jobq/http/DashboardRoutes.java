package dev.jobq.http;

import dev.jobq.internal.Names;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web dashboard at {@code /}: its page, scripts and style from this jar, and uPlot from its
 * webjar, so nothing is fetched from the internet. Every figure it shows comes from the /v1 API,
 * which checks each call: these routes serve only files, to anyone, under the
 * Content-Security-Policy of {@link SecurityHeaders}.
 */
final class DashboardRoutes {
  /** The uPlot webjar's version: kept with the pom's uplot.version, a test serves the file. */
  static final String UPLOT_VERSION = "1.6.30";

  private static final String OWN = "dev/jobq/http/dashboard/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION
      + "/dist/";
  /** A file's name: no slash or dot-dot can reach outside the dashboard's folder. */
  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(js|css|html)");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "html", "text/html; charset=utf-8");

  void register(RoutesConfig routes) {
    routes.get("/", this::index, Role.PUBLIC);
    routes.get("/ui/{file}", this::file, Role.PUBLIC);
  }

  // Links are relative to the page, so a base path needs the page's URL to end in '/': Jetty
  // redirects "/jobq" to "/jobq/" itself.
  private void index(Context ctx) {
    send(ctx, OWN + "index.html", "html");
  }

  private void file(Context ctx) {
    String name = ctx.pathParam("file");
    String resource = switch (name) {
      case "uplot.js" -> UPLOT + "uPlot.iife.min.js";
      case "uplot.css" -> UPLOT + "uPlot.min.css";
      default -> FILE.matcher(name).matches() ? OWN + name : null;
    };
    if (resource == null) {
      throw notFound(name);
    }
    send(ctx, resource, name.substring(name.lastIndexOf('.') + 1));
  }

  private static void send(Context ctx, String resource, String extension) {
    byte[] body = ClasspathFiles.read(resource);
    if (body == null) {
      throw notFound(resource.substring(resource.lastIndexOf('/') + 1));
    }
    // Revalidate each time: the files are small and a new jobq must not run an old script.
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(TYPES.get(extension)).result(body);
  }

  private static Problem notFound(String name) {
    return Problem.notFound("dashboard-file-not-found", "the dashboard has no file '"
        + Names.printable(name) + "': open the dashboard at the server's base path, such as"
        + " http://host:8080/");
  }
}
