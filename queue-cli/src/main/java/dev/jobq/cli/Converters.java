package dev.jobq.cli;

import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.internal.Durations;
import dev.jobq.internal.JobFields;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Flag values parsed by the core's own rules, so a bad one is a usage error naming it. */
final class Converters {
  private Converters() {}

  static final class PriorityConverter implements ITypeConverter<Priority> {
    @Override
    public Priority convert(String value) {
      try {
        return Priority.parse(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class StatusConverter implements ITypeConverter<JobStatus> {
    @Override
    public JobStatus convert(String value) {
      try {
        return JobStatus.parse(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class BackoffConverter implements ITypeConverter<Backoff> {
    @Override
    public Backoff convert(String value) {
      try {
        return Backoff.parse(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return JobFields.instant(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
