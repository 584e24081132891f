package dev.jobq.cli;

import picocli.CommandLine.Option;

/** {@code --queue Q} of the commands that otherwise cover every queue. */
final class QueueFilter {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue. Default: all.")
  String name;
}
