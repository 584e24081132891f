package dev.jobq.http;

import io.javalin.security.RouteRole;

/**
 * What a route needs of its caller. Every route names exactly one role when it is registered, so
 * the access check (and the OpenAPI description) can tell what each route is for.
 */
enum Role implements RouteRole {
  /** Anyone who can reach the server: health, the API's own description. */
  PUBLIC,
  /** Reads: jobs, queues, figures, events. */
  READ,
  /** Enqueues jobs. */
  PRODUCE,
  /** Claims jobs and reports on them under a lease: agents in any language. */
  WORK,
  /** Changes what others enqueued: cancel, retry, pause, clear, schedules, limits. */
  ADMIN
}
