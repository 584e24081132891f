package dev.jobq;

import static dev.jobq.JobStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStatusTest {
  @Test
  void lifeCycleArrowsOfTheDesignAreAllowed() {
    assertThat(WAITING.canMoveTo(ACTIVE)).isTrue();
    assertThat(ACTIVE.canMoveTo(COMPLETED)).isTrue();
    assertThat(ACTIVE.canMoveTo(DELAYED)).isTrue();
    assertThat(ACTIVE.canMoveTo(FAILED)).isTrue();
    assertThat(ACTIVE.canMoveTo(WAITING)).isTrue();
    assertThat(DELAYED.canMoveTo(WAITING)).isTrue();
    assertThat(FAILED.canMoveTo(WAITING)).isTrue();
    assertThat(BLOCKED.canMoveTo(WAITING)).isTrue();
    assertThat(BLOCKED.canMoveTo(DELAYED)).isTrue();
    for (JobStatus s : values()) {
      assertThat(s.canMoveTo(CANCELLED)).isEqualTo(!s.isFinished());
    }
  }

  @Test
  void finishedJobsNeverMoveExceptFailedBackToWaiting() {
    assertThat(COMPLETED.canMoveTo(WAITING)).isFalse();
    assertThat(CANCELLED.canMoveTo(WAITING)).isFalse();
    assertThat(WAITING.canMoveTo(COMPLETED)).isFalse();
    assertThatThrownBy(() -> COMPLETED.checkMoveTo(ACTIVE))
        .hasMessage("cannot change state from COMPLETED to ACTIVE");
  }

  @Test
  void nextIsTheRowOfTheTable() {
    for (JobStatus from : values()) {
      for (JobStatus to : values()) {
        assertThat(from.next().contains(to)).isEqualTo(from.canMoveTo(to));
      }
    }
    assertThatThrownBy(() -> WAITING.next().add(FAILED))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parseAcceptsAnyCaseAndNamesBadValues() {
    assertThat(JobStatus.parse("failed")).isEqualTo(FAILED);
    assertThatThrownBy(() -> JobStatus.parse("done")).hasMessageContaining("'done'");
  }
}
