package dev.jobq.http;

import dev.jobq.internal.ErrorText;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
import dev.jobq.spi.FailedJob;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A queue's failed (dead-lettered) jobs grouped by error class and the first line of the error
 * message, and "retry this group". Both look at the newest {@link #MAX_SCAN} failed jobs, read
 * only as far as their errors ({@code newestFailed}: on Redis, each job's error in short, some
 * 40 bytes for a short error, not the job), and say whether that was all of them.
 */
final class DeadLetterRoutes {
  static final int MAX_SCAN = 10_000;
  static final int SAMPLES = 5;

  private final Broker broker;

  DeadLetterRoutes(Broker broker) {
    this.broker = broker;
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/queues/{q}/dead-letters/groups", this::groups, Role.READ);
    routes.post("/v1/queues/{q}/dead-letters/retry", this::retryGroup, Role.ADMIN);
  }

  /** One group: jobs failed with the same error class and first line of message. */
  private static final class Group {
    final String key;
    final String errorClass;
    final String message;
    final List<String> ids = new ArrayList<>();
    FailedJob newest;

    Group(String key, String errorClass, String message) {
      this.key = key;
      this.errorClass = errorClass;
      this.message = message;
    }

    Map<String, Object> view() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", key);
      m.put("errorClass", errorClass);
      m.put("message", message);
      m.put("count", ids.size());
      m.put("newest", newest.finishedAt() == null ? null : newest.finishedAt().toString());
      m.put("sampleIds", ids.subList(0, Math.min(SAMPLES, ids.size())));
      return m;
    }
  }

  /** The groups of what was scanned, and how far the scan got. */
  private record Scan(Map<String, Group> groups, long scanned, boolean complete) {}

  private void groups(Context ctx) {
    String queue = QueueRoutes.known(ctx, broker);
    Scan scan = scan(queue);
    List<Map<String, Object>> groups = scan.groups().values().stream()
        .sorted(Comparator.comparingInt((Group g) -> -g.ids.size()))
        .map(Group::view).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("groups", groups);
    answer.put("scanned", scan.scanned());
    answer.put("complete", scan.complete());
    JobRoutes.json(ctx, answer);
  }

  private void retryGroup(Context ctx) {
    String queue = QueueRoutes.known(ctx, broker);
    String key = WorkFields.read(ctx.body(), Set.of("group")).text("group", true);
    Scan scan = scan(queue);
    Group group = scan.groups().get(key);
    if (group == null) {
      throw Problem.notFound("group-not-found", "no group '" + Names.printable(key) + "' among"
          + " the newest " + scan.scanned() + " failed jobs of queue '" + queue + "': GET"
          + " /v1/queues/" + queue + "/dead-letters/groups lists them; nothing was retried");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("queue", queue);
    answer.put("group", key);
    answer.put("requested", group.ids.size());
    answer.put("retried", broker.retryFailed(queue, group.ids));
    answer.put("complete", scan.complete());
    JobRoutes.json(ctx, answer);
  }

  /**
   * The newest failed jobs, up to MAX_SCAN, grouped, in the order of their newest job: one more
   * is asked for to tell whether that was all of them.
   */
  private Scan scan(String queue) {
    List<FailedJob> newest = broker.newestFailed(queue, MAX_SCAN + 1);
    List<FailedJob> scanned = newest.subList(0, Math.min(MAX_SCAN, newest.size()));
    // by class and message first: a group's key (a digest) is then computed once, not per job
    Map<String, Group> byError = new LinkedHashMap<>();
    for (FailedJob job : scanned) {
      String errorClass = job.errorClass() == null ? "" : job.errorClass();
      // stripped too, so that a trailing space or '\r' does not make a group of its own
      String message = ErrorText.firstLine(job.error()).strip();
      Group group = byError.computeIfAbsent(errorClass + "\n" + message,
          k -> new Group(key(errorClass, message), errorClass, message));
      group.ids.add(job.id());
      if (group.newest == null) {
        group.newest = job; // newest first
      }
    }
    Map<String, Group> groups = new LinkedHashMap<>();
    byError.values().forEach(g -> groups.put(g.key, g));
    return new Scan(groups, scanned.size(), newest.size() <= MAX_SCAN);
  }

  /** A short stable name for a group, the same on every call while its jobs stay failed. */
  static String key(String errorClass, String message) {
    return HexFormat.of().formatHex(Tokens.digest(errorClass + "\n" + message), 0, 8);
  }
}
