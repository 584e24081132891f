package dev.jobq.otel;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names of OpenTelemetry's messaging conventions that jobq's spans carry, written
 * out here rather than taken from the semconv artifacts, whose messaging part is still
 * incubating (and would be one more dependency for two lines each).
 */
final class MessagingAttributes {
  static final String SYSTEM_JOBQ = "jobq";
  static final String SEND = "send";
  static final String PROCESS = "process";

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // jobq's own, under messaging.jobq.* as the conventions ask of system-specific attributes
  static final AttributeKey<String> JOB_TYPE = AttributeKey.stringKey("messaging.jobq.job.type");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("messaging.jobq.attempt");
  static final AttributeKey<Boolean> CREATED = AttributeKey.booleanKey("messaging.jobq.created");

  private MessagingAttributes() {}
}
