package dev.jobq.cli;

import picocli.CommandLine.Option;

/** {@code --queue Q} of the commands that act on one queue, which must be named. */
final class QueueName {
  @Option(names = "--queue", required = true, paramLabel = "QUEUE", description = "The queue.")
  String name;
}
