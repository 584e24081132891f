package dev.jobq.worker;

/**
 * The payload does not decode as the handler asked. The data will not change between attempts,
 * so it fails permanently instead of burning retries.
 */
final class UndecodablePayloadException extends PermanentFailureException {
  private static final long serialVersionUID = 1L;

  UndecodablePayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
