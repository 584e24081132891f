package dev.jobq.worker;

import dev.jobq.Job;
import org.slf4j.MDC;

/** Puts the job's id, queue and type in the logging MDC for the length of a try block. */
final class JobMdc implements AutoCloseable {
  static final String JOB_ID = "jobId";
  static final String QUEUE = "queue";
  static final String TYPE = "type";

  private JobMdc(Job job) {
    MDC.put(JOB_ID, job.id());
    MDC.put(QUEUE, job.queue());
    MDC.put(TYPE, job.type());
  }

  static JobMdc of(Job job) {
    return new JobMdc(job);
  }

  @Override
  public void close() {
    MDC.remove(JOB_ID);
    MDC.remove(QUEUE);
    MDC.remove(TYPE);
  }
}
