package dev.jobq;

/** An enqueue was refused because the queue is at its maximum depth; nothing was written. */
public class QueueFullException extends JobqException {
  public QueueFullException(String message) {
    super(message);
  }
}
