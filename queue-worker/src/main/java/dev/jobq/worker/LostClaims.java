package dev.jobq.worker;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.Job;
import dev.jobq.JobPage;
import dev.jobq.JobStatus;
import dev.jobq.spi.WorkerBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims whose answer never came back (Redis went away mid-call). Redis may have run such a
 * claim: its jobs are then ACTIVE, leased to this worker, which never heard of them. Left alone
 * they would sit out a whole lease and then lose an attempt to the reaper without having run (a
 * job on its last attempt would be dead-lettered). Once Redis answers again they are found, by
 * owner and by claim time, and released, their attempt not spent. Used by the fetch thread only.
 */
final class LostClaims {
  private static final int PAGE = 500;
  /** Around the call's window: the broker reads its own "now" for the claim inside the call. */
  private static final Duration SLACK = Duration.ofMillis(50);
  private static final Logger log = LoggerFactory.getLogger(LostClaims.class);

  /**
   * Failed claims of {@code queue}, one after another with no successful one between: their
   * jobs, if any, were started between from and to.
   */
  private static final class Window {
    final String queue;
    final Instant from;
    Instant to;
    boolean open = true;

    Window(String queue, Instant from, Instant to) {
      this.queue = queue;
      this.from = from;
      this.to = to;
    }
  }

  private final WorkerBroker broker;
  private final String workerName;
  private final Leases leases;
  private final List<Window> lost = new ArrayList<>();

  LostClaims(WorkerBroker broker, String workerName, Leases leases) {
    this.broker = broker;
    this.workerName = workerName;
    this.leases = leases;
  }

  /** {@link WorkerBroker#claim}, remembering the call if it fails on the way. */
  List<Job> claim(String queue, int max, Duration lease) {
    Instant from = broker.now();
    long start = System.nanoTime();
    Window last = lost.isEmpty() ? null : lost.get(lost.size() - 1);
    try {
      List<Job> jobs = broker.claim(queue, workerName, max, lease);
      lost.forEach(w -> w.open &= !w.queue.equals(queue));
      return jobs;
    } catch (BrokerUnavailableException e) {
      Instant to = from.plusNanos(System.nanoTime() - start).plus(SLACK);
      if (last != null && last.open && last.queue.equals(queue)) {
        last.to = to; // the same outage: one window, one look through the active jobs
      } else {
        lost.add(new Window(queue, from.minus(SLACK), to));
      }
      throw e;
    }
  }

  boolean isEmpty() {
    return lost.isEmpty();
  }

  /**
   * Releases the jobs that lost claims took; throws {@link BrokerUnavailableException} while
   * Redis is still away (the claims stay remembered).
   */
  void recover() {
    for (Iterator<Window> it = lost.iterator(); it.hasNext(); ) {
      Window w = it.next();
      try {
        release(w);
      } catch (BrokerUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // never let the fetch loop stall on this: the reaper returns such jobs in the end
        log.error("could not look for jobs of a lost claim of queue {}; if there are any, they"
            + " return to the queue when their leases expire", w.queue, e);
      }
      it.remove();
    }
  }

  private void release(Window w) {
    List<Job> orphans = new ArrayList<>();
    JobPage page;
    long offset = 0;
    do {
      page = broker.list(w.queue, JobStatus.ACTIVE, offset, PAGE);
      for (Job j : page.jobs()) {
        if (tookBy(j, w)) {
          orphans.add(j);
        }
      }
      offset += PAGE;
    } while (offset < page.total());
    for (Job j : orphans) {
      if (broker.release(w.queue, j.id(), j.token())) {
        log.warn("job {} of queue {} was claimed by a call whose answer was lost; released"
            + " back to its queue, its attempt not spent", j.id(), w.queue);
      }
    }
  }

  private boolean tookBy(Job j, Window w) {
    return workerName.equals(j.worker()) && j.startedAt() != null
        && !j.startedAt().isBefore(w.from) && !j.startedAt().isAfter(w.to)
        && !leases.holds(j.queue(), j.id());
  }
}
