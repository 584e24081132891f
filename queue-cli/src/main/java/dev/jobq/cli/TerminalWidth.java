package dev.jobq.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * How many columns the output may take: {@code $COLUMNS} when set (shells set it, and a user
 * may export it), else the terminal's own width from {@code stty size} when stdout is a
 * terminal, else {@link #DEFAULT}, the terminal everyone can be assumed to have.
 */
final class TerminalWidth {
  static final int DEFAULT = 80;

  private TerminalWidth() {}

  static int of(Env env) {
    String columns = env.get("COLUMNS");
    if (columns != null) {
      return parse(columns);
    }
    if (System.console() == null) {
      return DEFAULT; // piped or redirected: no terminal to ask
    }
    int asked = stty();
    return asked > 0 ? asked : DEFAULT;
  }

  private static int parse(String columns) {
    try {
      int n = Integer.parseInt(columns);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageError("invalid COLUMNS '" + columns
        + "': expected the terminal's width, a positive whole number; unset it to use "
        + DEFAULT + " or the terminal's width");
  }

  /** The width {@code stty size} reports for the controlling terminal, or 0 when it cannot. */
  private static int stty() {
    try {
      Process p = new ProcessBuilder("stty", "size")
          .redirectInput(new File("/dev/tty"))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(1, TimeUnit.SECONDS)) {
        p.destroy();
        return 0;
      }
      String size = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      String[] rowsColumns = size.trim().split("\\s+");
      return p.exitValue() == 0 && rowsColumns.length == 2 ? Integer.parseInt(rowsColumns[1]) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0; // no stty (not Unix) or no tty: the default will do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
