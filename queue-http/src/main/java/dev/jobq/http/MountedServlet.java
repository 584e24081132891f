package dev.jobq.http;

import jakarta.servlet.GenericServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Javalin's servlet mounted at a path of an application's own servlet context, such as
 * {@code /jobq/*}. Javalin matches routes against the request's path after the context path,
 * so the mount path is passed as part of the context path: {@code /jobq/v1/queues} reaches the
 * route {@code /v1/queues}, and the API's pages and links see {@code /jobq} as their base path.
 */
final class MountedServlet extends GenericServlet {
  private final Servlet javalin;

  MountedServlet(Servlet javalin) {
    this.javalin = javalin;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    javalin.init(config);
  }

  @Override
  public void service(ServletRequest req, ServletResponse res)
      throws ServletException, IOException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (request.getPathInfo() == null) {
      // the dashboard's links are relative to its page, whose URL must end in '/'
      String query = request.getQueryString();
      ((HttpServletResponse) res).sendRedirect(request.getRequestURI() + "/"
          + (query == null ? "" : "?" + query));
      return;
    }
    javalin.service(new HttpServletRequestWrapper(request) {
      @Override
      public String getContextPath() {
        return request.getContextPath() + request.getServletPath();
      }

      @Override
      public String getServletPath() {
        return "";
      }
    }, res);
  }

  @Override
  public void destroy() {
    javalin.destroy();
  }
}
