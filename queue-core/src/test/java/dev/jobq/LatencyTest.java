package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @Test
  void theMeanIsRoundedToTheNearestMillisecond() {
    assertThat(Latency.ofMillis(1, 2).mean()).isEqualTo(Duration.ofMillis(2));
    assertThat(Latency.ofMillis(1, 1, 2).mean()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void samplesInAnyOrderGiveTheSamePercentilesAndMean() {
    assertThat(Latency.ofMillis(400, 100, 300, 200))
        .isEqualTo(Latency.ofMillis(100, 200, 300, 400))
        .isEqualTo(new Latency(4, Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(400), Duration.ofMillis(250)));
  }

  @Test
  void noSamplesIsNone() {
    assertThat(Latency.ofMillis()).isSameAs(Latency.NONE);
    assertThat(Latency.NONE.mean()).isEqualTo(Duration.ZERO);
  }
}
