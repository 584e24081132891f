package dev.jobq.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Redis sorted set: members ordered by score, then by member, so that ties break as Redis
 * breaks them (ids are ASCII, where String order is byte order). Ranges take Redis's indexes:
 * negative counts from the end, a stop past the end stops there.
 */
final class ScoredSet {
  private record Entry(long score, String member) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::score).thenComparing(Entry::member);

  private final Map<String, Long> scores = new HashMap<>();
  private final TreeSet<Entry> sorted = new TreeSet<>(ORDER);

  /** Adds the member or moves it to its new score (ZADD). */
  void add(String member, long score) {
    Long old = scores.put(member, score);
    if (old != null) {
      sorted.remove(new Entry(old, member));
    }
    sorted.add(new Entry(score, member));
  }

  /** ZREM: true when the member was there. */
  boolean remove(String member) {
    Long old = scores.remove(member);
    if (old == null) {
      return false;
    }
    sorted.remove(new Entry(old, member));
    return true;
  }

  /** ZREM of many: how many were there. */
  int removeAll(Collection<String> members) {
    int n = 0;
    for (String m : members) {
      n += remove(m) ? 1 : 0;
    }
    return n;
  }

  boolean contains(String member) {
    return scores.containsKey(member);
  }

  /** ZSCORE, or null. */
  Long score(String member) {
    return scores.get(member);
  }

  int size() {
    return scores.size();
  }

  /** The lowest score, or null when empty. */
  Long firstScore() {
    return sorted.isEmpty() ? null : sorted.first().score();
  }

  /** ZRANGEBYSCORE -inf max LIMIT 0 limit (a negative limit: all). */
  List<String> upTo(long max, long limit) {
    List<String> out = new ArrayList<>();
    for (Entry e : sorted) {
      if (e.score() > max || limit >= 0 && out.size() >= limit) {
        break;
      }
      out.add(e.member());
    }
    return out;
  }

  /** As {@link #upTo}, each member with its score. */
  List<Map.Entry<String, Long>> upToWithScores(long max, long limit) {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (String m : upTo(max, limit)) {
      out.add(Map.entry(m, scores.get(m)));
    }
    return out;
  }

  /** ZRANGE start stop, lowest first. */
  List<String> range(long start, long stop) {
    return slice(new ArrayList<>(sorted), start, stop);
  }

  /** ZREVRANGE start stop, highest first. */
  List<String> revRange(long start, long stop) {
    List<Entry> reversed = new ArrayList<>(sorted.descendingSet());
    return slice(reversed, start, stop);
  }

  /** Every member, lowest score first. */
  List<String> all() {
    return range(0, -1);
  }

  private static List<String> slice(List<Entry> entries, long start, long stop) {
    int n = entries.size();
    long from = start < 0 ? Math.max(0, n + start) : start;
    long to = stop < 0 ? n + stop : Math.min(stop, n - 1L);
    List<String> out = new ArrayList<>();
    for (long i = from; i <= to && i < n; i++) {
      out.add(entries.get((int) i).member());
    }
    return out;
  }
}
