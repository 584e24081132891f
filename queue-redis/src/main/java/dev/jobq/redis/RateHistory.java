package dev.jobq.redis;

import dev.jobq.QueueHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue's {@link QueueHistory}, read from the rings the scripts' {@code count_rate} writes in
 * {@code P:{q}:rate}: 120 one-minute slots ({@code t<s>} the minute, {@code c<s>}, {@code f<s>}
 * its counts) and 144 ten-minute slots ({@code d<s>} = {@code "<step>:<completed>:<failed>"}).
 * One HMGET of only the steps asked for.
 */
final class RateHistory {
  private static final int MINUTE_SLOTS = 120;
  private static final int DAY_SLOTS = 144;

  private final Queues queues;
  private final Connections redis;

  RateHistory(Queues queues) {
    this.queues = queues;
    this.redis = queues.redis;
  }

  QueueHistory read(String queue, Duration span) {
    Duration step = QueueHistory.stepFor(span);
    boolean minutes = step.equals(QueueHistory.FINE_STEP);
    int n = QueueHistory.stepsFor(span);
    long first = Math.floorDiv(queues.now(), step.toMillis()) - n + 1;
    List<String> fields = new ArrayList<>();
    for (long s = first; s < first + n; s++) {
      if (minutes) {
        long slot = Math.floorMod(s, MINUTE_SLOTS);
        fields.addAll(List.of("t" + slot, "c" + slot, "f" + slot));
      } else {
        fields.add("d" + Math.floorMod(s, DAY_SLOTS));
      }
    }
    Keys k = queues.keys(queue);
    List<String> values = redis.call(k.base, j -> j.hmget(k.rate(), fields.toArray(String[]::new)));
    List<QueueHistory.Point> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long s = first + i;
      long[] counts = minutes ? minute(values.subList(3 * i, 3 * i + 3), s) : day(values.get(i), s);
      points.add(new QueueHistory.Point(Instant.ofEpochMilli(s * step.toMillis()), counts[0],
          counts[1]));
    }
    return new QueueHistory(queue, step, points);
  }

  /** A minute's completed and failed counts; zeros when its slot holds another minute. */
  private static long[] minute(List<String> tcf, long minute) {
    if (!Long.toString(minute).equals(tcf.get(0))) {
      return new long[2];
    }
    return new long[] {Long.parseLong(tcf.get(1)), Long.parseLong(tcf.get(2))};
  }

  /** Ten minutes' counts from {@code "<step>:<completed>:<failed>"}; zeros for another step. */
  private static long[] day(String packed, long step) {
    String[] parts = packed == null ? new String[0] : packed.split(":");
    if (parts.length != 3 || !parts[0].equals(Long.toString(step))) {
      return new long[2];
    }
    return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
  }
}
