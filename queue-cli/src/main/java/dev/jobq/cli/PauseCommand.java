package dev.jobq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description = {
      "Pauses a queue: workers take no new jobs from it; running jobs finish, and enqueueing"
          + " still works. Undo with 'jobq resume'."
    },
    footer = {"", "Example:", "  jobq pause emails"})
final class PauseCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "QUEUE")
  String queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    session.requireQueue(queue);
    boolean was = session.client().stats(queue).paused();
    session.client().pause(queue);
    if (json.on) {
      printJson(new PauseView(queue, true, !was));
    } else {
      out().println(was ? "queue " + queue + " was already paused"
          : "paused queue " + queue + ": workers take no new jobs from it until"
              + " 'jobq resume " + queue + "'");
      out().flush();
    }
    return 0;
  }

  /** {@code pause --json} and {@code resume --json}: changed is false when it already was so. */
  record PauseView(String queue, boolean paused, boolean changed) {}
}
