package dev.jobq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header, rows, columns padded to their widest cell. */
final class Table {
  private static final String GAP = "  ";
  /** The first column is never cut below this, so that a name stays recognisable. */
  static final int MIN_FIRST = 10;

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... header) {
    this.columns = header.length;
    rows.add(header);
  }

  Table add(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + columns);
    }
    String[] row = new String[columns];
    for (int i = 0; i < columns; i++) {
      row[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
    }
    rows.add(row);
    return this;
  }

  /** Every column in full, however wide. */
  void print(PrintWriter out) {
    lines(widths(), columns).forEach(out::println);
  }

  /**
   * Within {@code maxWidth} characters a line, as {@code top} does: the first column (a name)
   * is cut in the middle with an ellipsis, down to {@link #MIN_FIRST}; then columns are left
   * out from the right, so the most telling come first; a line that still overflows is cut.
   */
  void print(PrintWriter out, int maxWidth) {
    int[] width = widths();
    int shown = columns;
    int overflow = lineWidth(width, shown) - maxWidth;
    width[0] = Math.min(width[0], Math.max(MIN_FIRST, width[0] - overflow));
    while (shown > 1 && lineWidth(width, shown) > maxWidth) {
      shown--;
    }
    for (String line : lines(width, shown)) {
      out.println(line.length() <= maxWidth ? line : line.substring(0, maxWidth));
    }
  }

  private List<String> lines(int[] width, int shown) {
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < shown; i++) {
        String cell = i == 0 ? cutMiddle(row[0], width[0]) : row[i];
        line.append(cell);
        if (i < shown - 1) {
          line.append(" ".repeat(width[i] - cell.length())).append(GAP);
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private int[] widths() {
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    return width;
  }

  private static int lineWidth(int[] width, int shown) {
    int sum = GAP.length() * (shown - 1);
    for (int i = 0; i < shown; i++) {
      sum += width[i];
    }
    return sum;
  }

  /**
   * Keeps both ends, since names differ at either: {@code notifications-high} in 10 is
   * {@code notif…high}.
   */
  static String cutMiddle(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int tail = (max - 1) / 2;
    int head = max - 1 - tail;
    return text.substring(0, head) + "…" + text.substring(text.length() - tail);
  }
}
