package dev.jobq.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The order in which one fetch visits the worker's queues. Strict: always as given, so a later
 * queue only gets the slots the earlier ones left. Weighted: a fresh random order per fetch,
 * each queue drawn first with probability proportional to its weight, so that no queue starves.
 */
final class QueueOrder {
  private final List<String> queues;
  private final Map<String, Integer> weights;

  private QueueOrder(List<String> queues, Map<String, Integer> weights) {
    this.queues = List.copyOf(queues);
    this.weights = weights;
  }

  static QueueOrder strict(List<String> queues) {
    return new QueueOrder(queues, null);
  }

  static QueueOrder weighted(Map<String, Integer> weights) {
    return new QueueOrder(new ArrayList<>(weights.keySet()), new LinkedHashMap<>(weights));
  }

  List<String> queues() {
    return queues;
  }

  boolean isWeighted() {
    return weights != null;
  }

  Map<String, Integer> weights() {
    return weights == null ? Map.of() : Map.copyOf(weights);
  }

  /** The queues in the order to visit them this time. */
  List<String> next(RandomGenerator random) {
    if (weights == null || queues.size() == 1) {
      return queues;
    }
    List<String> left = new ArrayList<>(queues);
    List<String> order = new ArrayList<>(queues.size());
    while (!left.isEmpty()) {
      long total = 0;
      for (String q : left) {
        total += weights.get(q);
      }
      long pick = random.nextLong(total);
      for (int i = 0; i < left.size(); i++) {
        pick -= weights.get(left.get(i));
        if (pick < 0) {
          order.add(left.remove(i));
          break;
        }
      }
    }
    return order;
  }

  @Override
  public String toString() {
    return weights == null ? "strict " + queues : "weighted " + weights;
  }
}
