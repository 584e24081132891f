package dev.jobq;

/** No job with this id exists (it never did, or retention removed it). */
public class JobNotFoundException extends JobqException {
  public JobNotFoundException(String queue, String id) {
    super(queue == null
        ? "no job with id '" + id + "' in any known queue"
        : "no job with id '" + id + "' in queue '" + queue + "'");
  }
}
