package dev.jobq.worker;

import dev.jobq.JobqException;

/**
 * Thrown by {@link Worker#start()} when a live worker already has this worker's name: two
 * workers of one name would renew, and release, each other's jobs.
 */
public final class WorkerNameTakenException extends JobqException {
  private static final long serialVersionUID = 1L;

  WorkerNameTakenException(String message) {
    super(message);
  }
}
