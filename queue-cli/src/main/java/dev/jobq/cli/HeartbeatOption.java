package dev.jobq.cli;

import dev.jobq.cli.Converters.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --heartbeat}, mixed into the commands that tell late workers from live ones. */
final class HeartbeatOption {
  @Option(names = "--heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The workers' heartbeat interval, to tell the late: $JOBQ_HEARTBEAT, else"
          + " $JOBQ_LEASE/3, default: 10s, as 'jobq worker' takes it.")
  Duration flag;

  /** The interval this flag or the environment gives; a usage error when not positive. */
  Duration interval(Env env) {
    return LateWorkers.interval(env, flag);
  }
}
