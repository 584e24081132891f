package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronTest {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static Instant next(String cron, String after, ZoneId zone) {
    return Cron.parse(cron).next(ZonedDateTime.parse(after).toInstant(), zone);
  }

  private static String local(Instant t, ZoneId zone) {
    return t.atZone(zone).toLocalDateTime().toString();
  }

  @Test
  void stepsRangesListsAndNames() {
    assertThat(next("*/15 * * * *", "2030-01-01T10:07:30Z", UTC))
        .isEqualTo("2030-01-01T10:15:00Z");
    assertThat(next("0 9 * * MON-FRI", "2030-01-04T09:00:00Z", UTC)) // a Friday, at 9:00
        .isEqualTo("2030-01-07T09:00:00Z");
    assertThat(next("5,35 */6 * JAN,jul *", "2030-01-31T23:59:00Z", UTC))
        .isEqualTo("2030-07-01T00:05:00Z");
    assertThat(next("@monthly", "2030-02-14T12:00:00Z", UTC)).isEqualTo("2030-03-01T00:00:00Z");
    assertThat(next("0 0 * * 7", "2030-01-01T00:00:00Z", UTC)) // 7 is Sunday too
        .isEqualTo("2030-01-06T00:00:00Z");
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekRunOnEither() {
    // the 13th, or any Friday: Friday 2030-09-06 comes before the 13th
    assertThat(next("0 0 13 * FRI", "2030-09-01T00:00:00Z", UTC)).isEqualTo("2030-09-06T00:00:00Z");
  }

  @Test
  void theTimeZoneIsHonouredAcrossDaylightSavingJumps() {
    assertThat(local(next("0 3 * * *", "2030-06-01T12:00:00Z", PARIS), PARIS))
        .isEqualTo("2030-06-02T03:00");
    // 2030-03-31 02:30 does not exist in Paris: it runs shifted by the jump
    assertThat(next("30 2 * * *", "2030-03-30T12:00:00Z", PARIS))
        .isEqualTo("2030-03-31T01:30:00Z");
    // 2030-10-27 02:30 occurs twice in Paris: it runs once, at the first
    Instant first = next("30 2 * * *", "2030-10-26T12:00:00Z", PARIS);
    assertThat(first).isEqualTo("2030-10-27T00:30:00Z");
    assertThat(Cron.parse("30 2 * * *").next(first, PARIS)).isEqualTo("2030-10-28T01:30:00Z");
  }

  @Test
  void badExpressionsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> Cron.parse("0 3 * *")).isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("must have five fields");
    assertThatThrownBy(() -> Cron.parse("61 * * * *"))
        .hasMessageContaining("the minute field '61' is not valid");
    assertThatThrownBy(() -> Cron.parse("0 0 * * FUNDAY"))
        .hasMessageContaining("day of week field 'FUNDAY'");
    assertThatThrownBy(() -> next("0 0 30 2 *", "2030-01-01T00:00:00Z", UTC))
        .hasMessageContaining("names no time");
  }
}
