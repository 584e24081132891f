package dev.jobq.cli;

import dev.jobq.cli.PauseCommand.PauseView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resumes a paused queue: workers take jobs from it again at once.",
    footer = {"", "Example:", "  jobq resume emails"})
final class ResumeCommand extends RedisCommand {
  @Parameters(index = "0", paramLabel = "QUEUE")
  String queue;

  @Mixin JsonOption json;

  @Override
  int run(Session session) {
    session.requireQueue(queue);
    boolean was = session.client().stats(queue).paused();
    session.client().resume(queue);
    if (json.on) {
      printJson(new PauseView(queue, false, was));
    } else {
      out().println(was ? "resumed queue " + queue : "queue " + queue + " was not paused");
      out().flush();
    }
    return 0;
  }
}
