package dev.jobq.cli;

import picocli.CommandLine.Option;

/** {@code --json}, mixed into every command that prints for scripts as well as for people. */
final class JsonOption {
  @Option(names = "--json", description = "Print JSON instead of text, one document per line"
      + " (its fields: queue-cli's README).")
  boolean on;
}
