package dev.jobq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphOrderTest {
  private static JobRequest job(String id, String... parents) {
    return JobRequest.builder("t").id(id).dependsOn(parents).build();
  }

  private static List<String> ids(List<JobRequest> jobs) {
    return jobs.stream().map(JobRequest::id).toList();
  }

  @Test
  void parentsComeBeforeTheirChildrenWhateverTheOrderGiven() {
    List<JobRequest> order = GraphOrder.parentsFirst(
        List.of(job("report", "a", "b"), job("b", "a"), job("a")));
    assertThat(ids(order)).containsExactly("a", "b", "report");
  }

  @Test
  void aParentOutsideTheGraphIsLeftToTheBroker() {
    assertThat(ids(GraphOrder.parentsFirst(List.of(job("child", "elsewhere")))))
        .containsExactly("child");
  }

  @Test
  void aCycleIsRefusedNamingItsPath() {
    assertThatThrownBy(() -> GraphOrder.parentsFirst(
            List.of(job("a", "c"), job("b", "a"), job("c", "b"))))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("cycle: a -> c -> b -> a");
  }

  @Test
  void anIdGivenTwiceIsRefused() {
    assertThatThrownBy(() -> GraphOrder.parentsFirst(List.of(job("a"), job("a"))))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("job id a appears twice");
  }

  @Test
  void jobsOfTwoQueuesAreRefused() {
    JobRequest other = JobRequest.builder("t").id("b").queue("other").build();
    assertThatThrownBy(() -> GraphOrder.parentsFirst(List.of(job("a"), other)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("a graph lives in one queue");
  }

  @Test
  void anEmptyGraphIsEmpty() {
    assertThat(GraphOrder.parentsFirst(List.of())).isEmpty();
  }
}
