package dev.jobq.http;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobEvent;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import dev.jobq.spi.Broker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events: the queues' event streams as Server-Sent Events, and one job's events so far.
 *
 * <p>An event's SSE {@code id} holds every streamed queue's position ({@code
 * mail=1700000000000-0;other=0-0}), so one {@code Last-Event-ID} resumes them all.
 */
final class EventRoutes {
  /** How long one read waits before a keep-alive is written, which notices a gone client. */
  static final Duration POLL = Duration.ofSeconds(1);
  /** The most events one read of the streams returns. */
  static final int BATCH = 500;

  private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);
  private static final Pattern POSITION = Pattern.compile("\\d{1,20}-\\d{1,20}");

  private final JobClient client;
  private final Broker broker;
  private volatile boolean stopping;

  EventRoutes(JobClient client) {
    this.client = client;
    this.broker = client.broker();
  }

  void register(RoutesConfig routes) {
    routes.get("/v1/events", this::stream, Role.READ);
    routes.get("/v1/jobs/{id}/events", this::ofJob, Role.READ);
  }

  /** Ends every open stream within {@link #POLL}, so that the server can stop. */
  void stop() {
    stopping = true;
  }

  private void stream(Context ctx) throws IOException {
    Map<String, String> positions = start(queues(ctx.queryParam("queue")), lastEventId(ctx));
    ctx.res().setStatus(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setCharacterEncoding("UTF-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no"); // a proxy must not hold events back
    OutputStream out = ctx.res().getOutputStream();
    write(out, ": streaming " + String.join(",", positions.keySet()) + "\n\n");
    try {
      follow(out, positions);
    } catch (IOException e) {
      LOG.debug("event stream closed by its client: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    } catch (BrokerUnavailableException e) {
      // the client reconnects with its Last-Event-ID and misses nothing: events stay in Redis
      LOG.warn("event stream ended: {}", e.getMessage());
    }
  }

  private void follow(OutputStream out, Map<String, String> positions)
      throws IOException, InterruptedException {
    while (!stopping) {
      List<JobEvent> events = broker.readEvents(positions, BATCH, POLL);
      if (events.isEmpty()) {
        write(out, ": keep-alive\n\n");
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (JobEvent e : events) {
        positions.put(e.queue(), e.position());
        text.append("id: ").append(eventId(positions)).append('\n')
            .append("event: ").append(e.type().label()).append('\n')
            .append("data: ").append(Json.encode(Views.event(e))).append("\n\n");
      }
      write(out, text.toString());
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The asked queues (all known ones when none is named), each of which must exist. */
  private Set<String> queues(String param) {
    Set<String> known = broker.queues();
    if (param == null || param.isBlank()) {
      if (known.isEmpty()) {
        throw Problem.notFound("queue-not-found", "no queue exists yet to follow: enqueue a job"
            + " first, or name the queues with ?queue=a,b once they exist");
      }
      return new TreeSet<>(known);
    }
    Set<String> asked = new TreeSet<>();
    for (String q : param.split(",")) {
      String name = checkQueue(q.trim(), "in \"queue\"");
      if (!known.contains(name)) {
        throw Problem.notFound("queue-not-found", "no queue '" + name + "': GET /v1/queues lists"
            + " the queues; a queue exists once a job was enqueued into it");
      }
      asked.add(name);
    }
    return asked;
  }

  /** Where each queue starts: after its position in the last event id, else from now. */
  private Map<String, String> start(Set<String> queues, Map<String, String> resume) {
    Map<String, String> positions = new LinkedHashMap<>();
    for (String q : queues) {
      String at = resume.get(q);
      positions.put(q, at != null ? at : broker.eventsTail(q));
    }
    return positions;
  }

  /** The {@code Last-Event-ID} header or {@code lastEventId} parameter, as queue to position. */
  private static Map<String, String> lastEventId(Context ctx) {
    String id = ctx.header("Last-Event-ID");
    if (id == null || id.isBlank()) {
      id = ctx.queryParam("lastEventId");
    }
    Map<String, String> positions = new LinkedHashMap<>();
    if (id == null || id.isBlank()) {
      return positions;
    }
    for (String part : id.trim().split(";")) {
      int eq = part.indexOf('=');
      String position = eq < 0 ? "" : part.substring(eq + 1);
      if (!POSITION.matcher(position).matches()) {
        throw Problem.badRequest("last event id '" + Names.printable(id) + "': each part must"
            + " be queue=position, such as mail=1700000000000-0; resume with an id the stream"
            + " sent, or leave it out to start from now");
      }
      positions.put(checkQueue(part.substring(0, eq), "in the last event id"), position);
    }
    return positions;
  }

  static String eventId(Map<String, String> positions) {
    return positions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(";"));
  }

  private static String checkQueue(String q, String where) {
    try {
      return Names.checkQueue(q);
    } catch (InvalidJobException e) {
      throw Problem.badRequest("queue '" + Names.printable(q) + "' " + where + ": "
          + e.getMessage());
    }
  }

  /** One job's events still in its queue's stream, oldest first (see JobTimeline). */
  private void ofJob(Context ctx) {
    String id = JobRoutes.jobId(ctx);
    Job job = client.find(id).orElseThrow(() -> JobRoutes.noJob(id));
    JobRoutes.json(ctx, JobTimeline.read(broker, job));
  }
}
