package dev.jobq.redis;

import java.util.List;

/**
 * What {@code jobq doctor} found in one queue: each problem with the job it concerns, and
 * whether it was repaired.
 */
public record DoctorReport(String queue, long jobsChecked, List<Finding> findings) {

  /** @param repaired true when {@code --repair} fixed it; false when only reported */
  public record Finding(String jobId, String problem, boolean repairable, boolean repaired) {}

  public boolean healthy() {
    return findings.stream().allMatch(Finding::repaired);
  }
}
