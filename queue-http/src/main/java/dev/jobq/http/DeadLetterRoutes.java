package dev.jobq.http;

import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
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
 * message, and "retry this group". Both look at the newest {@link #MAX_SCAN} failed jobs, a page
 * at a time, and say whether that was all of them.
 */
final class DeadLetterRoutes {
  static final int MAX_SCAN = 10_000;
  static final int PAGE = 1000;
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
    Job newest;

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

  /** The newest failed jobs, up to MAX_SCAN, grouped, in the order of their newest job. */
  private Scan scan(String queue) {
    Map<String, Group> groups = new LinkedHashMap<>();
    long offset = 0;
    long scanned = 0;
    long total;
    do {
      // a job trimmed since the index was read is left out of its page: offsets go by PAGE
      JobPage page = broker.list(queue, JobStatus.FAILED, offset, PAGE);
      total = page.total();
      page.jobs().forEach(job -> add(groups, job));
      scanned += page.jobs().size();
      offset += PAGE;
    } while (offset < MAX_SCAN && offset < total);
    return new Scan(groups, scanned, offset >= total);
  }

  private static void add(Map<String, Group> groups, Job job) {
    String errorClass = job.errorClass() == null ? "" : job.errorClass();
    String message = firstLine(job.error());
    String key = key(errorClass, message);
    Group group = groups.computeIfAbsent(key, k -> new Group(k, errorClass, message));
    group.ids.add(job.id());
    if (group.newest == null) {
      group.newest = job; // the listing is newest first
    }
  }

  static String firstLine(String error) {
    if (error == null) {
      return "";
    }
    int end = error.indexOf('\n');
    return (end < 0 ? error : error.substring(0, end)).strip();
  }

  /** A short stable name for a group, the same on every call while its jobs stay failed. */
  static String key(String errorClass, String message) {
    return HexFormat.of().formatHex(Tokens.digest(errorClass + "\n" + message), 0, 8);
  }
}
