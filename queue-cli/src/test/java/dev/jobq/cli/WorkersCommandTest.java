package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.WorkerControl.State;
import dev.jobq.WorkerControl;
import dev.jobq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** workers quiet/resume/stop/concurrency leave orders that the next heartbeat picks up. */
class WorkersCommandTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  private final Instant started = Instant.now();

  /** A heartbeat of the same worker process each time: it started once. */
  private WorkerControl heartbeat(String id) {
    return cli.broker().registerWorker(new WorkerInfo(id, "host-1", 42, List.of("q"), 4, 0, 0, 0,
        started, cli.broker().now(), "running"), Duration.ofMinutes(1));
  }

  @Test
  void ordersReachTheNamedWorkersOrAll() {
    heartbeat("w-1");
    heartbeat("w-2");

    Cli.Result quiet = cli.run("workers", "quiet", "w-1");
    Cli.Result n = cli.run("workers", "concurrency", "16", "--all");

    assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
    assertThat(quiet.out()).contains("worker w-1: told to be quiet");
    assertThat(n.out()).contains("worker w-1: told to run 16 jobs at once",
        "worker w-2: told to run 16 jobs at once");
    assertThat(heartbeat("w-1")).isEqualTo(new WorkerControl(State.QUIET, 16));
    assertThat(heartbeat("w-2")).isEqualTo(new WorkerControl(null, 16));

    cli.run("workers", "stop", "--all");
    assertThat(heartbeat("w-2").state()).isEqualTo(State.STOP);
  }

  @Test
  void anUnknownWorkerOrABadCountIsAnErrorAndTheOthersAreStillTold() {
    heartbeat("w-1");

    Cli.Result r = cli.run("workers", "stop", "nobody", "w-1");
    Cli.Result bad = cli.run("workers", "concurrency", "0", "--all");
    Cli.Result none = cli.run("workers", "resume");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no live worker 'nobody'");
    assertThat(r.out()).contains("worker w-1: told to stop");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("concurrency 0 is out of range 1..10000");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(heartbeat("w-1").concurrency()).isNull();
  }
}
