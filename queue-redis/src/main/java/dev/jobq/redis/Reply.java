package dev.jobq.redis;

import dev.jobq.CancelOutcome;
import dev.jobq.InvalidJobException;
import dev.jobq.JobActionOutcome;
import dev.jobq.JobqException;
import dev.jobq.QueueFullException;
import dev.jobq.spi.FailOutcome;
import dev.jobq.spi.LeaseState;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The numbers the scripts answer, one table for both sides: {@link LuaPrelude} gives every
 * script a local per constant (named as the constant, holding its code), and the decoders here
 * turn a script's answer into what the broker returns or throws. The same number means
 * different things to different scripts, so a code is always read among the answers of the
 * script that sent it (the sets below). The error replies a script raises ({@code ERR jobq: …})
 * are read by {@link #scriptError}.
 */
enum Reply {
  // ---- one job's transition (complete, release, progress; the refusals of fail and cancel)
  DONE(1, "the transition was made"),
  NOT_FOUND(-1, "no such job"),
  STALE(-3, "the job is not ACTIVE under this lease token (finished, cancelled, reaped or"
      + " claimed again): nothing changed"),
  DROPPED(-4, "the job was cancelled while it ran under this token: the lease it kept ends and"
      + " the outcome is dropped"),

  // ---- enqueue: the whole batch refused, nothing written; answered as {code, details...}
  QUEUE_FULL(-5, "the new jobs would pass the queue's maximum depth: {-5, depth, maximum}"),
  UNKNOWN_PARENT(-6, "a parent is neither in the queue nor earlier in the batch:"
      + " {-6, job id, parent id}"),
  TICK_TAKEN(-7, "the schedule's tick was fired already (by another worker) or the schedule is"
      + " gone (or, for a trigger, replaced): {-7}"),

  // ---- delete and run now: the job's status does not allow it
  WRONG_STATUS(-8, "the job's status does not allow it (delete: ACTIVE, or CANCELLED and still"
      + " holding its lease; run now: not DELAYED): unchanged"),

  // ---- fail
  RETRY_SCHEDULED(1, "the attempt failed; the job waits in delayed for its retry"),
  DEAD_LETTERED(2, "the attempt failed and none is left (or none wanted): the job is FAILED"),
  ESCALATED(3, "the job is CANCELLED, handed over to the job enqueued to take over from it"),
  ESCALATES(4, "nothing changed: the job escalates; enqueue the job that takes over and call"
      + " again with its queue/id"),

  // ---- heartbeat, per job
  LEASE_LOST(0, "the lease is lost (another token, or the job is gone): stop caring"),
  LEASE_HELD(1, "the lease is extended"),
  LEASE_CANCELLED(2, "the job was cancelled while it ran: stop the handler; the lease it keeps"
      + " is extended until its worker reports"),

  // ---- cancel, per id (and NOT_FOUND)
  JOB_CANCELLED(1, "the job is CANCELLED"),
  ALREADY_FINISHED(2, "the job had finished: unchanged");

  /** What complete (per job), release and progress answer. */
  static final Set<Reply> JOB = EnumSet.of(DONE, NOT_FOUND, STALE, DROPPED);
  static final Set<Reply> FAIL =
      EnumSet.of(RETRY_SCHEDULED, DEAD_LETTERED, ESCALATED, ESCALATES, NOT_FOUND, STALE, DROPPED);
  static final Set<Reply> HEARTBEAT = EnumSet.of(LEASE_LOST, LEASE_HELD, LEASE_CANCELLED);
  static final Set<Reply> CANCEL = EnumSet.of(JOB_CANCELLED, ALREADY_FINISHED, NOT_FOUND);
  /** What delete and run now answer. */
  static final Set<Reply> ACTION = EnumSet.of(DONE, NOT_FOUND, WRONG_STATUS);
  /** What enqueue answers, as the first element, for a batch it refuses. */
  static final Set<Reply> ENQUEUE_REFUSALS = EnumSet.of(QUEUE_FULL, UNKNOWN_PARENT, TICK_TAKEN);
  static final List<Set<Reply>> ANSWER_SETS =
      List.of(JOB, FAIL, HEARTBEAT, CANCEL, ENQUEUE_REFUSALS, ACTION);
  /** What lib.lua's move() says of a refused status change: "job <id> cannot move from X to Y". */
  static final String MOVE_REFUSED = " cannot move from ";

  final long code;
  final String meaning;

  Reply(long code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The reply among a script's answers; throws on a number the script does not answer. */
  static Reply of(Object answer, Set<Reply> answers) {
    for (Reply r : answers) {
      if (Long.valueOf(r.code).equals(answer)) {
        return r;
      }
    }
    throw new IllegalStateException("a script answered " + answer + ", which is none of "
        + answers + "; are the scripts on Redis of another jobq version? (SCRIPT FLUSH reloads)");
  }

  /** complete (per job), release, progress: whether the transition was made. */
  static boolean done(Object answer) {
    return of(answer, JOB) == DONE;
  }

  static LeaseState leaseState(Object answer) {
    return switch (of(answer, HEARTBEAT)) {
      case LEASE_HELD -> LeaseState.HELD;
      case LEASE_CANCELLED -> LeaseState.CANCELLED;
      default -> LeaseState.LOST;
    };
  }

  /** fail's answer; a refusal (no such job, stale token, dropped) is STALE to the caller. */
  FailOutcome failOutcome() {
    return switch (this) {
      case RETRY_SCHEDULED -> FailOutcome.RETRY_SCHEDULED;
      case DEAD_LETTERED -> FailOutcome.DEAD_LETTERED;
      case ESCALATED -> FailOutcome.ESCALATED;
      case NOT_FOUND, STALE, DROPPED -> FailOutcome.STALE;
      default -> throw new IllegalStateException(this + " is not an outcome of fail");
    };
  }

  static CancelOutcome cancelOutcome(Object answer) {
    return switch (of(answer, CANCEL)) {
      case JOB_CANCELLED -> CancelOutcome.CANCELLED;
      case ALREADY_FINISHED -> CancelOutcome.ALREADY_FINISHED;
      default -> CancelOutcome.NOT_FOUND;
    };
  }

  static JobActionOutcome actionOutcome(Object answer) {
    return switch (of(answer, ACTION)) {
      case DONE -> JobActionOutcome.DONE;
      case WRONG_STATUS -> JobActionOutcome.WRONG_STATUS;
      default -> JobActionOutcome.NOT_FOUND;
    };
  }

  /** enqueue's refusal of the whole batch, if it refused it: {code, details...}. */
  static Optional<Reply> batchRefusal(List<?> answer) {
    return answer.get(0) instanceof Long code
        ? Optional.of(of(code, ENQUEUE_REFUSALS)) : Optional.empty();
  }

  /**
   * The exception a refused batch of {@code jobs} jobs for {@code queue} is thrown as, from
   * enqueue's answer; null for TICK_TAKEN, which is no error (another worker fired the tick,
   * or the schedule is gone or replaced).
   */
  JobqException batchError(String queue, List<?> answer, int jobs) {
    return switch (this) {
      case QUEUE_FULL -> new QueueFullException("queue '" + queue + "' is full: " + answer.get(1)
          + " jobs wait (waiting and delayed) and its maximum depth is " + answer.get(2)
          + "; the " + jobs + " job(s) were not enqueued. Retry later, add workers,"
          + " or raise the limit (JobClient.setMaxDepth)");
      case UNKNOWN_PARENT -> new InvalidJobException("job " + answer.get(1) + " depends on "
          + answer.get(2) + ", which is neither in queue '" + queue + "' nor earlier in the"
          + " batch (parents and children share a queue; JobClient.enqueueGraph orders a batch"
          + " parents first); nothing was enqueued");
      case TICK_TAKEN -> null;
      default -> throw new IllegalStateException(this + " is not a refusal of enqueue");
    };
  }

  /**
   * An error a script raised before its first write ({@code jobq: <script>: …}, without the
   * {@code ERR } code): a job in a state its transition does not start from (lib.lua's move(),
   * a broken invariant, so an IllegalStateException, as JobStatus.checkMoveTo throws), else
   * input it refused (an InvalidJobException).
   */
  static RuntimeException scriptError(String message) {
    if (message.contains(MOVE_REFUSED)) {
      return new IllegalStateException(message);
    }
    return new InvalidJobException(message);
  }

  @Override
  public String toString() {
    return name() + " (" + code + ")";
  }
}
