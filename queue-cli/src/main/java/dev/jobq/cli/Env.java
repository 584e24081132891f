package dev.jobq.cli;

import dev.jobq.InvalidJobException;
import dev.jobq.internal.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * Settings that a flag gives, else an environment variable, else a default. A bad value in the
 * environment is a usage error naming the variable, since the operator cannot see it typed.
 */
final class Env {
  private final Map<String, String> vars;

  Env(Map<String, String> vars) {
    this.vars = vars;
  }

  /** The variable's value, or null when unset or blank. */
  String get(String name) {
    String v = vars.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  String string(String flag, String name, String fallback) {
    if (flag != null) {
      return flag;
    }
    String v = get(name);
    return v != null ? v : fallback;
  }

  int integer(Integer flag, String name, int fallback) {
    return parsed(flag, name, fallback, v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new UsageError("invalid " + name + " '" + v + "': expected a whole number");
      }
    });
  }

  /** Null when neither the flag nor the variable is set and there is no fallback. */
  Duration duration(Duration flag, String name, Duration fallback) {
    return parsed(flag, name, fallback, v -> {
      try {
        return Durations.parse(v);
      } catch (InvalidJobException e) {
        throw new UsageError(name + ": " + e.getMessage());
      }
    });
  }

  /** The flag if given, else the variable parsed, else the fallback. */
  private <T> T parsed(T flag, String name, T fallback, java.util.function.Function<String, T> parse) {
    if (flag != null) {
      return flag;
    }
    String v = get(name);
    return v == null ? fallback : parse.apply(v);
  }

  boolean bool(boolean flag, String name) {
    if (flag) {
      return true;
    }
    String v = get(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default -> throw new UsageError("invalid " + name + " '" + v + "': use true or false");
    };
  }
}
