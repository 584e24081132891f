package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueueOrderTest {
  @Test
  void strictOrderIsAlwaysTheGivenOrder() {
    QueueOrder order = QueueOrder.strict(List.of("critical", "default", "low"));
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10; i++) {
      assertThat(order.next(random)).containsExactly("critical", "default", "low");
    }
  }

  @Test
  void weightedOrderPutsEachQueueFirstInProportionToItsWeight() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put("a", 6);
    weights.put("b", 3);
    weights.put("c", 1);
    QueueOrder order = QueueOrder.weighted(weights);
    SplittableRandom random = new SplittableRandom(42);
    Map<String, Integer> first = new HashMap<>();
    int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      List<String> next = order.next(random);
      assertThat(next).containsExactlyInAnyOrder("a", "b", "c");
      first.merge(next.get(0), 1, Integer::sum);
    }
    assertThat(first.get("a") / (double) draws).isBetween(0.57, 0.63);
    assertThat(first.get("b") / (double) draws).isBetween(0.27, 0.33);
    assertThat(first.get("c") / (double) draws).isBetween(0.08, 0.12);
  }
}
