package dev.jobq;

import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The thread behind {@link JobClient#listen}: reads a cursor and hands each event on. */
final class EventListenerThread implements JobClient.Subscription {
  private static final Logger log = LoggerFactory.getLogger(EventListenerThread.class);
  private static final Duration READ_WAIT = Duration.ofSeconds(1);
  private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

  private final EventCursor cursor;
  private final Consumer<JobEvent> listener;
  private final Thread thread;
  private volatile boolean open = true;

  private EventListenerThread(EventCursor cursor, Consumer<JobEvent> listener) {
    this.cursor = cursor;
    this.listener = listener;
    this.thread = new Thread(this::run, "jobq-events");
    thread.setDaemon(true);
  }

  static EventListenerThread start(EventCursor cursor, Consumer<JobEvent> listener) {
    EventListenerThread t = new EventListenerThread(cursor, listener);
    t.thread.start();
    return t;
  }

  private void run() {
    while (open) {
      try {
        for (JobEvent e : cursor.next(READ_WAIT)) {
          deliver(e);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // an outage, or an error Redis answered: the events stay in Redis, so read again later
        log.warn("event listener: {}; trying again in {} s", e.getMessage(), OUTAGE_PAUSE.toSeconds());
        try {
          Thread.sleep(OUTAGE_PAUSE.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void deliver(JobEvent e) {
    if (!open || e.type() == JobEvent.Type.UNKNOWN) {
      return;
    }
    try {
      listener.accept(e);
    } catch (RuntimeException ex) {
      log.error("event listener threw on {} {} of job {}; it gets the next event", e.type().label(),
          e.position(), e.jobId(), ex);
    }
  }

  @Override
  public void close() {
    open = false;
  }
}
