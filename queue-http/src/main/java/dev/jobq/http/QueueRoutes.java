package dev.jobq.http;

import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
import dev.jobq.spi.ClientBroker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Queues: the list, one queue's figures, one queue's jobs by status, paged by cursor or offset. */
final class QueueRoutes {
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_LIMIT = 100;

  private final JobClient client;
  private final Broker broker;

  QueueRoutes(JobClient client) {
    this.client = client;
    this.broker = client.broker();
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/queues", ctx -> JobRoutes.json(ctx, new TreeSet<>(broker.queues())),
        Role.READ);
    routes.get("/v1/queues/{q}/stats", ctx ->
        JobRoutes.json(ctx, Views.stats(broker.stats(known(ctx)))), Role.READ);
    routes.get("/v1/queues/{q}/jobs", this::list, Role.READ);
  }

  private void list(Context ctx) {
    String queue = known(ctx);
    String cursor = ctx.queryParam("cursor");
    JobStatus status = status(ctx.queryParam("status"));
    long offset = number(ctx, "offset", 0, Long.MAX_VALUE, 0);
    if (cursor != null && !cursor.isEmpty()) {
      if (ctx.queryParam("offset") != null) {
        throw Problem.badRequest("both \"cursor\" and \"offset\" are given: page with one,"
            + " the \"nextCursor\" of the previous page or an offset");
      }
      PageCursor at = PageCursor.decode(cursor, queue, explicitStatus(ctx));
      status = at.status();
      offset = at.offset();
    }
    int limit = (int) number(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    JobPage page = client.list(queue, status, offset, limit);
    Map<String, Object> answer = Views.page(page, limit);
    long next = offset + page.jobs().size();
    if (!page.jobs().isEmpty() && next < page.total()) {
      answer.put("nextCursor", new PageCursor(queue, status, next).encode());
    }
    JobRoutes.json(ctx, answer);
  }

  private static JobStatus explicitStatus(Context ctx) {
    String value = ctx.queryParam("status");
    return value == null || value.isEmpty() ? null : status(value);
  }

  /** The path's queue, checked as a name. */
  static String queue(Context ctx) {
    String q = ctx.pathParam("q");
    try {
      return Names.checkQueue(q);
    } catch (InvalidJobException e) {
      throw Problem.badRequest("queue '" + Names.printable(q) + "' in the path: " + e.getMessage());
    }
  }

  private String known(Context ctx) {
    return known(ctx, broker);
  }

  /**
   * The path's queue, which a read or an action needs to exist: a typo answers 404, not an empty
   * queue.
   */
  static String known(Context ctx, ClientBroker broker) {
    String q = queue(ctx);
    if (!broker.queues().contains(q)) {
      throw Problem.notFound("queue-not-found", "no queue '" + q + "': GET /v1/queues lists"
          + " the queues; a queue exists once a job was enqueued into it");
    }
    return q;
  }

  static JobStatus status(String value) {
    if (value == null || value.isEmpty()) {
      return JobStatus.WAITING;
    }
    try {
      return JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("status '" + Names.printable(value) + "' is unknown: use one of "
          + Arrays.stream(JobStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  static long number(Context ctx, String name, long min, long max, long absent) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      return absent;
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw Problem.badRequest("\"" + name + "\" is '" + Names.printable(value)
          + "': give a whole number from " + min + " to " + max);
    }
    return n;
  }
}
