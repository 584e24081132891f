/**
 * jobq's core: the user API ({@code dev.jobq}) and the backend contract ({@code dev.jobq.spi});
 * its helpers ({@code dev.jobq.internal}) are exported only to jobq's own modules.
 */
module dev.jobq.core {
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.jobq;
  exports dev.jobq.spi;
  exports dev.jobq.internal to
      dev.jobq.redis,
      dev.jobq.worker,
      dev.jobq.testing,
      dev.jobq.http,
      dev.jobq.cli;

  // Jackson reads and writes the user's payload types and jobq's own records
  opens dev.jobq to com.fasterxml.jackson.databind;
}
