package dev.jobq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header, rows, columns padded to their widest cell. */
final class Table {
  private static final String GAP = "  ";

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

  void print(PrintWriter out) {
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row[i].length())).append(GAP);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
