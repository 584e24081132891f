package dev.jobq;

import com.fasterxml.jackson.databind.JsonNode;

/** What a running handler knows about its job, and how it reports back. */
public interface JobContext {
  Job job();

  default String id() {
    return job().id();
  }

  default String queue() {
    return job().queue();
  }

  default String type() {
    return job().type();
  }

  /** 1 for the first attempt. */
  default int attempt() {
    return job().attempt();
  }

  /** The payload as JSON text. */
  default String payload() {
    return job().payload();
  }

  /** The payload mapped onto {@code type} (never onto a class the data names). */
  default <T> T payload(Class<T> type) {
    return job().payloadAs(type);
  }

  default JsonNode payloadTree() {
    return job().payloadTree();
  }

  /**
   * The lease token of this attempt. It grows with every claim of the job id (a job that took a
   * finished one's id included, and across a Redis restart), so downstream systems can refuse a
   * write carrying a smaller token than one they have already seen.
   */
  default long fencingToken() {
    return job().token();
  }

  /** What the producer attached besides the payload (see {@link JobRequest.Builder#header}). */
  default java.util.Map<String, String> headers() {
    return job().headers();
  }

  /** True once the job was cancelled, its lease lost or its time ran out: stop soon. */
  boolean isCancelled();

  /** Records progress, readable by the producer while the job runs. */
  void progress(long done, long total, String message);
}
