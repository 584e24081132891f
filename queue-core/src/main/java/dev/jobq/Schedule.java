package dev.jobq;

import dev.jobq.internal.Durations;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A recurring job: on every tick of a cron expression (in a time zone) or of a fixed interval,
 * one job built from {@code job} is enqueued into the job's queue, with the id {@code
 * name@tick-in-epoch-ms}. Workers of that queue fire schedules; each tick fires exactly once
 * however many of them run, and a tick that falls due while no worker runs fires as soon as
 * one does (several missed ticks fire once, for the latest of them).
 *
 * <pre>{@code
 * client.addSchedule(Schedule.cron("nightly-report", "0 3 * * *", ZoneId.of("Europe/Paris"),
 *     JobRequest.builder("report.build").queue("reports").payload("{\"scope\":\"all\"}")));
 * client.addSchedule(Schedule.every("refresh-cache", Duration.ofMinutes(5),
 *     JobRequest.builder("cache.refresh")));
 * }</pre>
 *
 * @param cron the cron expression, or null for an interval schedule
 * @param every the interval, or null for a cron schedule
 * @param job what each tick enqueues; its id is replaced by {@code name@tick}
 */
public record Schedule(String name, String cron, ZoneId zone, Duration every, JobRequest job) {
  /** The shortest interval: one second. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** The longest name: its jobs' ids are {@code name@<13-digit tick>}, within the id limit. */
  public static final int MAX_NAME_LENGTH = 100;

  public Schedule {
    if (name == null || name.length() > MAX_NAME_LENGTH || name.contains("@")) {
      throw new InvalidJobException("schedule name '" + name + "' must be 1.." + MAX_NAME_LENGTH
          + " characters, without '@' (its jobs are named NAME@tick)");
    }
    Names.checkJobId(name);
    Objects.requireNonNull(job, "job");
    if ((cron == null) == (every == null)) {
      throw new InvalidJobException("schedule '" + name + "' needs a cron expression or an"
          + " interval, not both");
    }
    if (cron != null) {
      Cron.parse(cron);
      zone = zone == null ? ZoneId.of("UTC") : zone;
    } else if (every.compareTo(MIN_INTERVAL) < 0) {
      throw new InvalidJobException("schedule '" + name + "': interval " + every
          + " is shorter than " + MIN_INTERVAL.toSeconds() + " s");
    }
    if (!job.dependsOn().isEmpty() || job.uniqueKey() != null) {
      throw new InvalidJobException("schedule '" + name + "': a scheduled job cannot depend on"
          + " other jobs or carry a uniqueness key (each tick is already unique)");
    }
  }

  public static Schedule cron(String name, String cron, ZoneId zone, JobRequest.Builder job) {
    return new Schedule(name, cron, zone, null, job.build());
  }

  public static Schedule every(String name, Duration every, JobRequest.Builder job) {
    return new Schedule(name, null, null, every, job.build());
  }

  public String queue() {
    return job.queue();
  }

  /** The first tick after {@code after}; for an interval, {@code after} plus the interval. */
  public Instant nextAfter(Instant after) {
    return cron != null ? Cron.parse(cron).next(after, zone) : after.plus(every);
  }

  /** What {@code jobq schedule list} shows: {@code 0 3 * * * Europe/Paris} or {@code every 5m}. */
  public String when() {
    return cron != null ? cron + " " + zone : "every " + Durations.format(every);
  }

  /**
   * A schedule as stored, with its next tick (null when it has none) and its last firing (null
   * until it first fires).
   */
  public record Planned(Schedule schedule, Instant nextTick, LastTick lastTick) {}

  /**
   * A schedule's latest firing, recorded by the broker in the same step as its job's enqueue:
   * when it fired (the broker's time), the id of the job it enqueued, whether that job is new
   * ({@code false}: a job of that id was kept already and stays as it was), and whether an
   * operator triggered it by hand rather than a tick. A firing that was refused (a full queue)
   * enqueued nothing and records nothing: its tick stays due.
   */
  public record LastTick(Instant at, String jobId, boolean created, boolean triggered) {}

  /** The job of one tick, with its tick's id. */
  public JobRequest jobFor(Instant tick) {
    return job.toBuilder().id(name + "@" + tick.toEpochMilli()).build();
  }
}
