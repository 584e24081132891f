package dev.jobq.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * TERM and INT handlers for {@link Worker#runUntilSignalled()}. The JVM's own handlers would run
 * the shutdown hooks and exit at once, cutting running jobs off; these start a graceful stop
 * instead, and a second signal makes it hurry.
 */
final class Signals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);
  private static final List<String> NAMES = List.of("TERM", "INT");

  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private Signals() {}

  static Signals install(Runnable first, Runnable again) {
    Signals s = new Signals();
    AtomicInteger count = new AtomicInteger();
    SignalHandler handler = signal -> {
      // Runs on the JVM's signal thread: only start things, never block here.
      if (count.incrementAndGet() == 1) {
        log.info("received SIG{}: shutting down gracefully (send it again to stop sooner)",
            signal.getName());
        first.run();
      } else {
        log.warn("received SIG{} again: releasing running jobs now", signal.getName());
        again.run();
      }
    };
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        s.previous.add(Signal.handle(signal, handler));
        s.installed.add(signal);
      } catch (IllegalArgumentException e) {
        // The JVM reserves the signal (run with -Xrs) or the platform lacks it.
        log.warn("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
    return s;
  }

  /** Puts the previous handlers back. */
  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      try {
        Signal.handle(installed.get(i), previous.get(i));
      } catch (IllegalArgumentException e) {
        log.debug("cannot restore the handler of SIG{}", installed.get(i).getName());
      }
    }
  }
}
