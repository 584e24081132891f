package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
  private final Table table = new Table("NAME", "COUNT", "NOTE")
      .add("notifications-high", 12, "kept")
      .add("beta", 3, "a longer note");

  @Test
  void aTableThatFitsIsPrintedWhole() {
    assertThat(print(80)).isEqualTo(print(Integer.MAX_VALUE)).isEqualTo("""
        NAME                COUNT  NOTE
        notifications-high  12     kept
        beta                3      a longer note
        """);
  }

  @Test
  void theFirstColumnIsCutInTheMiddleToFit() {
    assertThat(print(32)).isEqualTo("""
        NAME        COUNT  NOTE
        notif…high  12     kept
        beta        3      a longer note
        """);
  }

  @Test
  void columnsAreLeftOutFromTheRightOnceTheNameIsAsShortAsItGoes() {
    assertThat(print(20)).isEqualTo("""
        NAME        COUNT
        notif…high  12
        beta        3
        """);
  }

  @Test
  void aLineNeverExceedsTheWidth() {
    assertThat(print(6)).isEqualTo("""
        NAME
        notif…
        beta
        """);
  }

  @Test
  void cutMiddleKeepsBothEnds() {
    assertThat(Table.cutMiddle("emails-eu", 10)).isEqualTo("emails-eu");
    assertThat(Table.cutMiddle("emails-eu-west", 10)).isEqualTo("email…west");
  }

  private String print(int width) {
    StringWriter s = new StringWriter();
    PrintWriter out = new PrintWriter(s);
    table.print(out, width);
    out.flush();
    return s.toString().replace(System.lineSeparator(), "\n");
  }
}
