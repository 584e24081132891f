package dev.jobq.http;

import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.internal.JobFields;
import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** Jobs: enqueue into a queue, read one by id. */
final class JobRoutes {
  private final JobClient client;
  private final JobBodies bodies;
  private final long maxBodyBytes;

  JobRoutes(JobClient client, JobBodies bodies, long maxBodyBytes) {
    this.client = client;
    this.bodies = bodies;
    this.maxBodyBytes = maxBodyBytes;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/queues/{q}/jobs", this::enqueue, Role.PRODUCE);
    routes.get("/v1/jobs/{id}", this::get, Role.READ);
  }

  private void enqueue(Context ctx) {
    String queue = QueueRoutes.queue(ctx);
    // the declared length first, so a large body is refused before it is read
    if (ctx.contentLength() > maxBodyBytes) {
      throw Problem.tooLarge("the body is " + ctx.contentLength() + " bytes, over the limit of "
          + maxBodyBytes + ": send fewer jobs per request, or store large payloads elsewhere");
    }
    JobBodies.Parsed parsed = bodies.read(queue, ctx.body());
    // a graph is checked whole (cycles, parents in the batch) and written parents first
    List<EnqueueResult> results = JobFields.anyDependsOn(parsed.requests())
        ? client.enqueueGraph(parsed.requests())
        : client.enqueueAll(parsed.requests());
    boolean anyCreated = results.stream().anyMatch(EnqueueResult::created);
    Object answer = parsed.array()
        ? results.stream().map(Views::enqueued).toList()
        : Views.enqueued(results.get(0));
    ctx.status(anyCreated ? 201 : 200);
    json(ctx, answer);
  }

  private void get(Context ctx) {
    String id = jobId(ctx);
    Job job = client.find(id).orElseThrow(() -> noJob(id));
    json(ctx, Views.job(job));
  }

  /** The path's job id, checked. */
  static String jobId(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      return Names.checkJobId(id);
    } catch (InvalidJobException e) {
      throw Problem.badRequest("job id '" + Names.printable(id) + "': " + e.getMessage());
    }
  }

  static Problem noJob(String id) {
    return Problem.notFound("job-not-found",
        "no job '" + id + "' in any queue: it never existed or was removed after it finished");
  }

  static void json(Context ctx, Object value) {
    ctx.contentType("application/json").result(Json.encode(value));
  }
}
