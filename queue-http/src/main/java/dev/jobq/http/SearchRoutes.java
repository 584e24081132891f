package dev.jobq.http;

import dev.jobq.JobSearch;
import dev.jobq.JobStatus;
import dev.jobq.SearchPage;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A queue's jobs searched by id, type, header value or error text: a bounded scan (at most
 * {@link #SCAN} jobs looked at per request) that answers how far it looked and a cursor to look
 * further.
 */
final class SearchRoutes {
  static final int MAX_TEXT = 200;
  /**
   * Jobs looked at per request at most: half of {@link JobSearch#MAX_SCAN}, so that a page of
   * the dashboard's search of a million-job queue stays well under 100 ms; most of that time is
   * Redis handing over each job whole (docs/PERFORMANCE.md, "The dashboard with a big queue").
   */
  static final int SCAN = 5_000;

  private final Broker broker;

  SearchRoutes(Broker broker) {
    this.broker = broker;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/queues/{q}/search", this::search, Role.READ);
  }

  private void search(Context ctx) {
    String queue = QueueRoutes.known(ctx, broker);
    String text = text(ctx.queryParam("q"));
    JobSearch.Field in = field(ctx.queryParam("in"));
    String statusParam = ctx.queryParam("status");
    JobStatus status = statusParam == null || statusParam.isEmpty()
        ? null : QueueRoutes.status(statusParam);
    int limit = (int) QueueRoutes.number(ctx, "limit", 1, JobSearch.MAX_LIMIT,
        QueueRoutes.DEFAULT_LIMIT);
    String cursor = decodeCursor(ctx.queryParam("cursor"));
    JobSearch search = new JobSearch(in, text, status, cursor, limit, SCAN);
    SearchPage page;
    try {
      page = broker.search(queue, search);
    } catch (IllegalArgumentException e) {
      if (cursor == null) {
        throw e; // the route checked everything else: a bug, not the caller's input
      }
      throw badCursor(ctx.queryParam("cursor")); // a cursor of the other broker, or made up
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("in", in.name().toLowerCase(Locale.ROOT));
    answer.put("q", text);
    answer.put("jobs", page.jobs().stream().map(Views::job).toList());
    answer.put("scanned", page.scanned());
    answer.put("complete", page.complete());
    answer.put("nextCursor", page.complete() ? null : CursorText.encode(page.cursor()));
    JobRoutes.json(ctx, answer);
  }

  private static String text(String q) {
    if (q == null || q.isEmpty() || q.length() > MAX_TEXT) {
      throw Problem.badRequest("\"q\" is " + (q == null || q.isEmpty() ? "missing"
          : q.length() + " characters long") + ": give the text to look for, 1 to " + MAX_TEXT
          + " characters, such as ?q=timeout&in=error");
    }
    return q;
  }

  private static JobSearch.Field field(String in) {
    if (in == null || in.isEmpty()) {
      return JobSearch.Field.ID;
    }
    try {
      return JobSearch.Field.valueOf(in.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("\"in\" is '" + Names.printable(in) + "': use one of "
          + Arrays.stream(JobSearch.Field.values())
              .map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  private static String decodeCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return CursorText.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw badCursor(cursor);
    }
  }

  static Problem badCursor(String cursor) {
    return Problem.badRequest("\"cursor\" '" + Names.printable(cursor) + "' is not one this API"
        + " gave: pass a search's \"nextCursor\" back unchanged, or leave it out to start");
  }
}
