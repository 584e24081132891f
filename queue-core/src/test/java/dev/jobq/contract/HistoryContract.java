package dev.jobq.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.QueueHistory;
import dev.jobq.QueueHistory.Point;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code history}: completions and failed attempts per minute for the last two hours, per ten
 * minutes for the last day, oldest first, the last point being the step under way.
 */
public interface HistoryContract extends BrokerUnderTest {

  @Test
  default void anHourOfAQueueWithoutJobsIsSixtyMinutesOfZeros() {
    advance(Duration.ofSeconds(30));

    QueueHistory h = broker().history("empty", Duration.ofHours(1));

    assertThat(h.queue()).isEqualTo("empty");
    assertThat(h.step()).isEqualTo(Duration.ofMinutes(1));
    assertThat(h.points()).hasSize(60);
    assertThat(h.points().get(59).at()).isEqualTo(START);
    assertThat(h.points().get(0).at()).isEqualTo(START.minus(Duration.ofMinutes(59)));
    assertThat(h.points()).allMatch(p -> p.completed() == 0 && p.failed() == 0);
  }

  @Test
  default void completionsAndFailedAttemptsAreCountedInTheMinuteTheyHappened() {
    completedJob("a");
    completedJob("b");
    advance(Duration.ofMinutes(3));
    deadLetteredJob("c");

    List<Point> hour = broker().history(QUEUE, Duration.ofHours(1)).points();

    assertThat(hour.get(59)).isEqualTo(new Point(START.plus(Duration.ofMinutes(3)), 0, 1));
    assertThat(hour.get(56)).isEqualTo(new Point(START, 2, 0));
    assertThat(hour.stream().mapToLong(Point::completed).sum()).isEqualTo(2);
    assertThat(hour.stream().mapToLong(Point::failed).sum()).isEqualTo(1);
  }

  @Test
  default void aDayIsTenMinuteStepsThatKeepWhatTheMinutesForgot() {
    completedJob("a");
    advance(Duration.ofMinutes(12));
    deadLetteredJob("b");
    advance(Duration.ofHours(3));

    QueueHistory day = broker().history(QUEUE, Duration.ofHours(24));
    QueueHistory hour = broker().history(QUEUE, Duration.ofHours(1));

    assertThat(day.step()).isEqualTo(Duration.ofMinutes(10));
    assertThat(day.points()).hasSize(144);
    assertThat(day.points().get(143).at()).isEqualTo(START.plus(Duration.ofMinutes(190)));
    assertThat(day.points()).contains(new Point(START, 1, 0),
        new Point(START.plus(Duration.ofMinutes(10)), 0, 1));
    assertThat(hour.points()).allMatch(p -> p.completed() == 0 && p.failed() == 0);
  }

  @Test
  default void countsOlderThanADayAreForgotten() {
    completedJob("a");
    advance(Duration.ofHours(24).plusMinutes(10));

    QueueHistory day = broker().history(QUEUE, Duration.ofHours(24));

    assertThat(day.points()).allMatch(p -> p.completed() == 0 && p.failed() == 0);
  }

  @Test
  default void aSpanOverADayOrUnderAMinuteIsRefused() {
    assertThatThrownBy(() -> broker().history(QUEUE, Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 hours");
    assertThatThrownBy(() -> broker().history(QUEUE, Duration.ofSeconds(59)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT59S");
  }
}
