package dev.jobq.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobRequest;
import dev.jobq.Priority;
import dev.jobq.RetryPolicy;
import dev.jobq.Schedule;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/**
 * Reads the body of {@code PUT /v1/queues/{q}/schedules/{name}}: when it ticks ({@code cron} with
 * an optional {@code zone}, or {@code every}) and the job each tick enqueues, with the options of
 * {@code jobq schedule add} and the job fields a stored schedule keeps.
 */
final class ScheduleBodies {
  static final Set<String> FIELDS = Set.of("type", "cron", "zone", "every", "payload",
      "priority", "maxAttempts", "backoff", "timeout");
  private static final Duration MAX_EVERY = Duration.ofDays(3650);
  private static final Duration MAX_TIMEOUT = Duration.ofDays(365);

  private final int maxPayloadBytes;

  ScheduleBodies(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  Schedule read(String queue, String name, String body) {
    WorkFields f = WorkFields.read(body, FIELDS);
    if (f.has("cron") == f.has("every")) {
      throw Problem.badRequest("give \"cron\" (such as \"0 3 * * *\", with an optional \"zone\")"
          + " or \"every\" (an interval such as \"5m\"), not both and not neither");
    }
    if (f.has("zone") && !f.has("cron")) {
      throw Problem.badRequest("\"zone\" goes with \"cron\": an \"every\" schedule has none");
    }
    try {
      String cron = f.text("cron", false);
      Duration every = f.duration("every", Schedule.MIN_INTERVAL, MAX_EVERY, null);
      return new Schedule(name, cron, cron == null ? null : zone(f), every, job(queue, f));
    } catch (InvalidJobException e) {
      throw Problem.badRequest("schedule '" + Names.printable(name) + "': " + e.getMessage()
          + "; nothing was written");
    }
  }

  private JobRequest job(String queue, WorkFields f) {
    JobRequest.Builder b = JobRequest.builder(f.text("type", true)).queue(queue);
    JsonNode payload = f.node("payload");
    if (payload != null) {
      b.payload(payload(payload.toString()));
    }
    if (f.has("priority")) {
      b.priority(Priority.parse(f.text("priority", true)));
    }
    if (f.has("maxAttempts")) {
      b.maxAttempts((int) f.whole("maxAttempts", 1, RetryPolicy.MAX_ATTEMPTS_LIMIT));
    }
    if (f.has("backoff")) {
      b.backoff(Backoff.parse(f.text("backoff", true)));
    }
    b.timeout(f.duration("timeout", Duration.ofSeconds(1), MAX_TIMEOUT, null));
    return b.build();
  }

  private static ZoneId zone(WorkFields f) {
    String id = f.text("zone", false);
    try {
      return id == null ? ZoneId.of("UTC") : ZoneId.of(id);
    } catch (DateTimeException e) {
      throw Problem.badRequest("\"zone\" is '" + Names.printable(id) + "': give a region such"
          + " as \"Europe/Paris\" or \"America/New_York\", or \"UTC\"");
    }
  }

  private String payload(String json) {
    try {
      return Json.checkPayload(json, maxPayloadBytes);
    } catch (InvalidJobException e) {
      throw Problem.tooLarge("\"payload\": " + e.getMessage());
    }
  }
}
