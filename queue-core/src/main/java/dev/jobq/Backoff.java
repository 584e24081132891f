package dev.jobq;

import dev.jobq.internal.Durations;
import dev.jobq.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt. Immutable; {@link #spec()} is the stored form, read
 * back by {@link #parse}: {@code exponential:5s:3;jitter=0.2;cap=1h}, {@code fixed:10s},
 * {@code linear:5s}, {@code fibonacci:1s}, {@code list:5s,15s,45s}.
 */
public final class Backoff {
  /** The shape of the delay curve. */
  public enum Kind { FIXED, LINEAR, EXPONENTIAL, FIBONACCI, LIST }

  /** The longest delay a backoff names or gives: a growing one stops growing here. */
  public static final Duration MAX_DELAY = Duration.ofDays(365);

  private final Kind kind;
  private final List<Duration> steps;
  private final double factor;
  private final double jitter;
  private final Duration cap;

  private Backoff(Kind kind, List<Duration> steps, double factor, double jitter, Duration cap) {
    for (Duration step : steps) {
      if (step.isNegative()) {
        throw new InvalidJobException("backoff delay is negative: " + step);
      }
      checkMax("backoff delay", step);
    }
    if (steps.isEmpty()) {
      throw new InvalidJobException("backoff list is empty: give at least one delay, such as 5s");
    }
    if (!(factor >= 1.0) || factor > 100) {
      throw new InvalidJobException("backoff factor out of range 1..100: " + factor);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new InvalidJobException("backoff jitter out of range 0..1: " + jitter);
    }
    if (cap != null && cap.isNegative()) {
      throw new InvalidJobException("backoff cap is negative: " + cap);
    }
    if (cap != null) {
      checkMax("backoff cap", cap);
    }
    this.kind = kind;
    this.steps = List.copyOf(steps);
    this.factor = factor;
    this.jitter = jitter;
    this.cap = cap;
  }

  private static void checkMax(String what, Duration d) {
    if (d.compareTo(MAX_DELAY) > 0) {
      throw new InvalidJobException(what + " " + Durations.format(d) + " is over the limit of "
          + Durations.format(MAX_DELAY) + " (" + MAX_DELAY.toMillis() + " ms)");
    }
  }

  public static Backoff fixed(Duration delay) {
    return new Backoff(Kind.FIXED, List.of(delay), 1, 0, null);
  }

  /** base, 2×base, 3×base, … */
  public static Backoff linear(Duration base) {
    return new Backoff(Kind.LINEAR, List.of(base), 1, 0, null);
  }

  /** base, base×factor, base×factor², …: {@code exponential(5s, 3)} gives 5 s, 15 s, 45 s. */
  public static Backoff exponential(Duration base, double factor) {
    return new Backoff(Kind.EXPONENTIAL, List.of(base), factor, 0, null);
  }

  /** base × 1, 2, 3, 5, 8, … */
  public static Backoff fibonacci(Duration base) {
    return new Backoff(Kind.FIBONACCI, List.of(base), 1, 0, null);
  }

  /** The given delays in turn; the last one repeats. */
  public static Backoff list(Duration... delays) {
    return new Backoff(Kind.LIST, List.of(delays), 1, 0, null);
  }

  /** Spreads each delay uniformly over ±{@code fraction} of it, so that retries do not stampede. */
  public Backoff withJitter(double fraction) {
    return new Backoff(kind, steps, factor, fraction, cap);
  }

  /** No delay is longer than {@code max}, jitter included. */
  public Backoff withCap(Duration max) {
    return new Backoff(kind, steps, factor, jitter, Objects.requireNonNull(max, "cap"));
  }

  public Kind kind() {
    return kind;
  }

  /** The delay after attempt number {@code attempt} (1 for the first) has failed. */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt < 1: " + attempt);
    }
    double ms = baseMillis(attempt);
    if (jitter > 0) {
      ms *= 1 + jitter * (2 * random.nextDouble() - 1);
    }
    if (cap != null) {
      ms = Math.min(ms, cap.toMillis());
    }
    return Duration.ofMillis(Math.max(0, Math.round(Math.min(ms, MAX_DELAY.toMillis()))));
  }

  private double baseMillis(int attempt) {
    double base = steps.get(0).toMillis();
    return switch (kind) {
      case FIXED -> base;
      case LINEAR -> base * attempt;
      case EXPONENTIAL -> base * Math.pow(factor, Math.min(attempt - 1, 64));
      case FIBONACCI -> base * fibonacci(attempt);
      case LIST -> steps.get(Math.min(attempt, steps.size()) - 1).toMillis();
    };
  }

  private static double fibonacci(int n) {
    double a = 1;
    double b = 2;
    for (int i = 1; i < Math.min(n, 80); i++) {
      double next = a + b;
      a = b;
      b = next;
    }
    return a;
  }

  /** The stored form, parsed back by {@link #parse}. */
  public String spec() {
    StringBuilder s = new StringBuilder(kind.name().toLowerCase(Locale.ROOT)).append(':');
    if (kind == Kind.LIST) {
      for (int i = 0; i < steps.size(); i++) {
        s.append(i == 0 ? "" : ",").append(Durations.format(steps.get(i)));
      }
    } else {
      s.append(Durations.format(steps.get(0)));
    }
    if (kind == Kind.EXPONENTIAL) {
      s.append(':').append(trim(factor));
    }
    if (jitter > 0) {
      s.append(";jitter=").append(trim(jitter));
    }
    if (cap != null) {
      s.append(";cap=").append(Durations.format(cap));
    }
    return s.toString();
  }

  /** Reads the form written by {@link #spec()}. */
  public static Backoff parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new InvalidJobException("backoff is empty: use a form such as exponential:5s:3;jitter=0.2");
    }
    String[] parts = spec.trim().split(";");
    String[] head = parts[0].split(":");
    Backoff b;
    try {
      Kind kind = Kind.valueOf(head[0].trim().toUpperCase(Locale.ROOT));
      if (head.length < 2 || head.length > 3 || (head.length == 3 && kind != Kind.EXPONENTIAL)) {
        throw new InvalidJobException("wrong number of ':' parts");
      }
      b = switch (kind) {
        case FIXED -> fixed(Durations.parse(head[1]));
        case LINEAR -> linear(Durations.parse(head[1]));
        case FIBONACCI -> fibonacci(Durations.parse(head[1]));
        case EXPONENTIAL -> exponential(
            Durations.parse(head[1]), head.length == 3 ? Double.parseDouble(head[2]) : 2.0);
        case LIST -> list(parseList(head[1]));
      };
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        String key = kv[0].trim();
        if (kv.length != 2) {
          throw new InvalidJobException("option without a value: " + key);
        }
        if (key.equals("jitter")) {
          b = b.withJitter(Double.parseDouble(kv[1].trim()));
        } else if (key.equals("cap")) {
          b = b.withCap(Durations.parse(kv[1]));
        } else {
          throw new InvalidJobException("unknown option " + key);
        }
      }
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          "invalid backoff '" + Names.printable(spec) + "' (" + e.getMessage() + "): use fixed:10s,"
              + " linear:5s, exponential:5s:3, fibonacci:1s or list:5s,15s,45s, optionally followed"
              + " by ;jitter=0.2 and ;cap=1h");
    }
    return b;
  }

  private static Duration[] parseList(String text) {
    List<Duration> out = new ArrayList<>();
    for (String item : text.split(",")) {
      out.add(Durations.parse(item));
    }
    return out.toArray(new Duration[0]);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Backoff other && other.spec().equals(spec());
  }

  @Override
  public int hashCode() {
    return spec().hashCode();
  }

  @Override
  public String toString() {
    return spec();
  }
}
