package dev.jobq.cli;

import dev.jobq.Backoff;
import dev.jobq.InvalidJobException;
import dev.jobq.JobStatus;
import dev.jobq.Priority;
import dev.jobq.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
        return instant(value);
      } catch (InvalidJobException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** ISO-8601 with a zone: {@code 2030-01-01T09:00:00Z} or {@code 2030-01-01T10:00:00+01:00}. */
  static Instant instant(String value) {
    String v = value.trim();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new InvalidJobException("invalid time '" + value + "': use ISO-8601 with a zone,"
            + " such as 2030-01-01T09:00:00Z or 2030-01-01T10:00:00+01:00");
      }
    }
  }
}
