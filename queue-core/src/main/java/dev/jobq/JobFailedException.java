package dev.jobq;

/**
 * The job awaited did not complete: it was dead-lettered or cancelled. The job, as it ended,
 * says why ({@link Job#errorClass()}, {@link Job#error()}).
 */
public class JobFailedException extends JobqException {
  private final transient Job job;

  public JobFailedException(Job job) {
    super("job " + job.id() + " in queue '" + job.queue() + "' ended " + job.status()
        + (job.error() == null || job.error().isEmpty() ? ""
            : ": " + (job.errorClass() == null ? "" : job.errorClass() + ": ") + job.error()));
    this.job = job;
  }

  public Job job() {
    return job;
  }
}
