package dev.jobq;

import java.util.List;

/** One page of a listing: the jobs from {@code offset}, and how many there are in all. */
public record JobPage(List<Job> jobs, long offset, long total) {}
