package dev.jobq;

/** How many jobs a clear removed, or would remove on a dry run, by where they were. */
public record ClearResult(long waiting, long delayed, long blocked, long failed) {
  public long total() {
    return waiting + delayed + blocked + failed;
  }
}
