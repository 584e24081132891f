package dev.jobq;

import static dev.jobq.JobRequestChecks.checkDelay;
import static dev.jobq.JobRequestChecks.checkHeaders;
import static dev.jobq.JobRequestChecks.checkParents;
import static dev.jobq.JobRequestChecks.checkRunAt;
import static dev.jobq.JobRequestChecks.checkTimeout;
import static dev.jobq.JobRequestChecks.checkUniqueKey;
import static dev.jobq.JobRequestChecks.checkUniqueWindow;

import dev.jobq.internal.Json;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job to enqueue, checked when built: every field holds a valid value or {@link #build} throws
 * an {@link InvalidJobException} naming it. The payload's JSON and size are checked by {@link
 * JobClient}, whose payload limit is configurable.
 *
 * <pre>{@code
 * JobRequest req = JobRequest.builder("email.send")
 *     .payload("{\"to\":\"ada@example.com\"}")
 *     .queue("emails").priority(Priority.HIGH).maxAttempts(5)
 *     .build();
 * }</pre>
 */
public final class JobRequest {
  public static final String DEFAULT_QUEUE = "default";
  /** The longest delay a job may ask for. */
  public static final Duration MAX_DELAY = Duration.ofDays(5 * 365);
  /** The longest timeout a job may ask for. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  /** The most jobs one job may wait for. */
  public static final int MAX_PARENTS = 100;
  /** The longest window of a uniqueness key. */
  public static final Duration MAX_UNIQUE_WINDOW = Duration.ofDays(30);
  /** The most headers one job may carry, and the longest header value. */
  public static final int MAX_HEADERS = 50;
  public static final int MAX_HEADER_VALUE = 1_000;

  private final String id;
  private final boolean idChosen;
  private final String queue;
  private final String type;
  private final String payload;
  private final Priority priority;
  private final Duration delay;
  private final Instant runAt;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration timeout;
  private final List<String> dependsOn;
  private final boolean runsEvenIfParentsFail;
  private final String uniqueKey;
  private final Duration uniqueWindow;
  private final Map<String, String> headers;
  private final Escalation escalation;
  private final boolean replacesFinished;

  private JobRequest(Builder b) {
    this.idChosen = b.id != null && b.idChosen;
    this.id = b.id != null ? Names.checkJobId(b.id) : Ids.newId();
    this.queue = Names.checkQueue(b.queue);
    this.type = Names.checkType(b.type);
    this.payload = Objects.requireNonNullElse(b.payload, "null");
    this.priority = Objects.requireNonNull(b.priority, "priority");
    this.maxAttempts = RetryPolicy.checkMaxAttempts(b.maxAttempts);
    this.backoff = b.backoff;
    if (b.delay != null && b.runAt != null) {
      throw new InvalidJobException("give a delay or a run-at time, not both");
    }
    this.delay = b.delay == null ? Duration.ZERO : checkDelay(b.delay);
    this.runAt = b.runAt == null ? null : checkRunAt(b.runAt);
    this.timeout = b.timeout == null ? null : checkTimeout(b.timeout);
    this.dependsOn = checkParents(id, b.dependsOn);
    this.runsEvenIfParentsFail = b.runsEvenIfParentsFail;
    this.uniqueKey = b.uniqueKey == null ? null : checkUniqueKey(b.uniqueKey);
    this.uniqueWindow = b.uniqueKey == null ? null : checkUniqueWindow(b.uniqueWindow);
    this.headers = checkHeaders(b.headers);
    this.escalation = b.escalation;
    this.replacesFinished = b.replaceFinished;
  }

  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** The job id: the caller's, or a new time-ordered one. */
  public String id() {
    return id;
  }

  /** True when the caller chose the id, so enqueueing it twice must not make two jobs. */
  public boolean idChosen() {
    return idChosen;
  }

  public String queue() {
    return queue;
  }

  public String type() {
    return type;
  }

  /** The payload as JSON text. */
  public String payload() {
    return payload;
  }

  public Priority priority() {
    return priority;
  }

  /** How long after enqueue the job may start; zero unless {@link #runAt()} is set. */
  public Duration delay() {
    return delay;
  }

  /** The moment the job may start, by the broker's clock, or null to use {@link #delay()}. */
  public Instant runAt() {
    return runAt;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The backoff between attempts, or null to use the worker's default. */
  public Backoff backoff() {
    return backoff;
  }

  /** The time one attempt may take, or null to use the worker's default. */
  public Duration timeout() {
    return timeout;
  }

  /** The ids of the jobs (in the same queue) that must complete before this one runs. */
  public List<String> dependsOn() {
    return dependsOn;
  }

  /** True when the job runs once its parents have ended, even if some failed or were cancelled. */
  public boolean runsEvenIfParentsFail() {
    return runsEvenIfParentsFail;
  }

  /** What travels with the job besides its payload, such as a trace id; read with {@link Job#headers()}. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Where the job goes when its attempts are exhausted, or null for the failed list. */
  public Escalation escalation() {
    return escalation;
  }

  /** True when the job replaces a finished job of the same id: see {@link Builder#replaceFinished}. */
  public boolean replacesFinished() {
    return replacesFinished;
  }

  /**
   * A builder holding every field of this request, its id included (so that the copy is the
   * same job): for middleware that changes a request on its way.
   */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.id = id;
    b.idChosen = idChosen;
    b.queue = queue;
    b.payload = payload;
    b.priority = priority;
    b.delay = delay.isZero() ? null : delay;
    b.runAt = runAt;
    b.maxAttempts = maxAttempts;
    b.backoff = backoff;
    b.timeout = timeout;
    b.dependsOn.addAll(dependsOn);
    b.runsEvenIfParentsFail = runsEvenIfParentsFail;
    b.uniqueKey = uniqueKey;
    b.uniqueWindow = uniqueWindow;
    b.headers.putAll(headers);
    b.escalation = escalation;
    b.replaceFinished = replacesFinished;
    return b;
  }

  /** The uniqueness key, or null: see {@link Builder#unique}. */
  public String uniqueKey() {
    return uniqueKey;
  }

  /** How long the uniqueness key holds, or null without one. */
  public Duration uniqueWindow() {
    return uniqueWindow;
  }

  @Override
  public String toString() {
    return "JobRequest{" + queue + "/" + id + " " + type + " " + priority + "}";
  }

  /** Collects the fields of a {@link JobRequest}; every field but the type has a default. */
  public static final class Builder {
    private String id;
    private String queue = DEFAULT_QUEUE;
    private final String type;
    private String payload = "null";
    private Priority priority = Priority.NORMAL;
    private Duration delay;
    private Instant runAt;
    private int maxAttempts = RetryPolicy.DEFAULT.maxAttempts();
    private Backoff backoff;
    private Duration timeout;
    private final List<String> dependsOn = new ArrayList<>();
    private boolean runsEvenIfParentsFail;
    private String uniqueKey;
    private Duration uniqueWindow;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean idChosen = true;
    private Escalation escalation;
    private boolean replaceFinished;

    private Builder(String type) {
      this.type = type;
    }

    /**
     * A caller-chosen id: enqueueing it again returns that job while it is kept, unfinished or
     * finished (a resend after a lost reply runs nothing twice), unless {@link
     * #replaceFinished()}.
     */
    public Builder id(String id) {
      this.id = id;
      this.idChosen = true;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /** The payload as JSON text. */
    public Builder payload(String json) {
      this.payload = json;
      return this;
    }

    /** The payload as an object, encoded to JSON with Jackson. */
    public Builder payloadObject(Object value) {
      this.payload = Json.encode(value);
      return this;
    }

    public Builder priority(Priority priority) {
      this.priority = priority;
      return this;
    }

    public Builder delay(Duration delay) {
      this.delay = delay;
      return this;
    }

    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** Sets max attempts and backoff together. */
    public Builder retry(RetryPolicy policy) {
      this.maxAttempts = policy.maxAttempts();
      this.backoff = policy.backoff();
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * The job waits, BLOCKED, until every one of these jobs of the same queue has COMPLETED; it
     * becomes WAITING in the same step as the last parent's completion. When a parent fails for
     * good or is cancelled, the job is cancelled, naming that parent (unless {@link
     * #runEvenIfParentsFail()}). The parents must exist, or come earlier in the same batch.
     */
    public Builder dependsOn(String... ids) {
      return dependsOn(List.of(ids));
    }

    public Builder dependsOn(Collection<String> ids) {
      this.dependsOn.addAll(ids);
      return this;
    }

    /** Runs the job once every parent has ended, whether it completed, failed or was cancelled. */
    public Builder runEvenIfParentsFail() {
      this.runsEvenIfParentsFail = true;
      return this;
    }

    /**
     * Attaches a header that travels with the job besides its payload (a trace id, a tenant):
     * handlers and middleware read it with {@link JobContext#headers()}. Names as job types.
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "header name"), value);
      return this;
    }

    /**
     * Enqueues the job only if no job of the same queue was enqueued with the same {@code key}
     * within the last {@code window}: a duplicate writes nothing and is answered with the first
     * job ({@code created} false). The window runs from the first job's enqueue, whatever
     * becomes of that job, unless the job itself is gone (cleared or purged).
     */
    public Builder unique(String key, Duration window) {
      this.uniqueKey = Objects.requireNonNull(key, "key");
      this.uniqueWindow = window;
      return this;
    }

    /**
     * When the job's attempts are exhausted (or it fails permanently), hands it over to a new
     * job instead of the failed list. See {@link Escalation}.
     */
    public Builder escalateTo(Escalation escalation) {
      this.escalation = escalation;
      return this;
    }

    /**
     * Runs the job again when its id names a finished job (COMPLETED, FAILED or CANCELLED) still
     * kept: the new job replaces it. An unfinished job of the id is still answered as is.
     */
    public Builder replaceFinished() {
      this.replaceFinished = true;
      return this;
    }

    public JobRequest build() {
      return new JobRequest(this);
    }
  }
}
