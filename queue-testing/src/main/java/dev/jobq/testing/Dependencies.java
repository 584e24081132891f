package dev.jobq.testing;

import dev.jobq.Job;
import dev.jobq.JobStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parents and children (PROTOCOL.md, Dependencies; lib.lua adopt and settle_children): a child
 * lists its parents and counts those not yet ended; each unfinished parent lists its children,
 * who are told once when it ends.
 */
final class Dependencies {
  private Dependencies() {}

  /** How many parents a new job still waits for, and why it is cancelled at once (or null). */
  record Adoption(int pending, String doomed) {}

  /**
   * Registers a new job with its parents. A parent gone since enqueue checked it counts as
   * ended; one that failed or was cancelled dooms the child unless it runs anyway.
   */
  static Adoption adopt(QueueState q, String id, List<String> parents, boolean anyway) {
    int pending = 0;
    String doomed = null;
    Set<String> seen = new HashSet<>();
    for (String parent : parents) {
      MemJob p = q.job(parent);
      JobStatus status = p == null ? JobStatus.COMPLETED : p.status;
      if (!seen.add(parent)) {
        continue; // named twice: two duplicates of one uniqueness key stand for its job
      }
      if (status == JobStatus.FAILED || status == JobStatus.CANCELLED) {
        if (!anyway && doomed == null) {
          doomed = "parent " + parent + " ended " + status;
        }
      } else if (status != JobStatus.COMPLETED) {
        pending++;
        p.addChild(id);
      }
    }
    return new Adoption(pending, doomed);
  }

  /**
   * Tells the children of a job that just ended (COMPLETED, FAILED or CANCELLED). A child
   * whose last parent this was becomes ready (or delayed until its run-at); after a failure or
   * cancellation a child is cancelled instead, naming the parent, unless it runs anyway, and so,
   * in turn, its own children. Only a child still BLOCKED whose parents name this one counts.
   */
  static void settleChildren(QueueState q, String id, MemJob job, JobStatus status, long now) {
    ArrayDeque<Object[]> todo = new ArrayDeque<>();
    todo.add(new Object[] {id, job, status});
    while (!todo.isEmpty()) {
      Object[] next = todo.removeFirst();
      String parent = (String) next[0];
      MemJob pjob = (MemJob) next[1];
      JobStatus pstatus = (JobStatus) next[2];
      if (pjob.children == null) {
        continue;
      }
      for (String child : pjob.children) {
        MemJob c = q.job(child);
        if (c == null || !c.dependsOn(parent) || c.status != JobStatus.BLOCKED) {
          continue;
        }
        if (pstatus == JobStatus.COMPLETED || c.depsAnyway) {
          parentEnded(q, child, c, now);
        } else {
          String why = "parent " + parent + " ended " + pstatus;
          q.blocked.remove(child);
          c.errorClass = "dev.jobq.ParentFailed";
          c.error = why;
          q.finish(child, c, JobStatus.CANCELLED, now);
          q.count("cancelled", 1);
          q.emit(child, "cancelled", now, "error", why);
          todo.addLast(new Object[] {child, c, JobStatus.CANCELLED});
        }
      }
      // each child is told once: a parent dead-lettered, retried and ended again must not
      // count again for a child that runs anyway; the first ones stay listed for its readers
      keepSettled(pjob);
      pjob.children = null;
    }
  }

  private static void keepSettled(MemJob pjob) {
    List<String> done = pjob.childrenDone == null ? new ArrayList<>() : pjob.childrenDone;
    for (String child : pjob.children) {
      if (done.size() < Job.MAX_CHILDREN_KEPT && !done.contains(child)) {
        done.add(child);
      }
    }
    pjob.childrenDone = done;
  }

  private static void parentEnded(QueueState q, String child, MemJob c, long now) {
    c.depsLeft--;
    if (c.depsLeft > 0) {
      return;
    }
    q.blocked.remove(child);
    long runAt = c.runAt == null ? 0 : c.runAt;
    if (runAt > now) {
      c.status = JobStatus.DELAYED;
      q.delayed.add(child, runAt);
      q.emit(child, "ready", now, "status", "DELAYED");
    } else {
      q.makeWaiting(child, c, now);
      q.emit(child, "ready", now, "status", "WAITING");
    }
    q.wake();
  }
}
