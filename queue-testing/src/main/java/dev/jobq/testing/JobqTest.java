package dev.jobq.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test (class or method) that gets a {@link dev.jobq.JobClient} and {@link TestJobs} on an
 * {@link InMemoryBroker} of its own, as parameters, in one of three {@link Mode}s. A method's
 * annotation wins over its class's.
 *
 * <pre>{@code
 * @JobqTest(mode = JobqTest.Mode.FAKE)
 * class SignupTest {
 *   @Test
 *   void sendsAWelcomeMail(JobClient client, TestJobs jobs) {
 *     new Signup(client).register("ada@example.com");
 *     jobs.assertEnqueued("email.send", "{\"to\":\"ada@example.com\"}");
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(JobqExtension.class)
public @interface JobqTest {
  Mode mode() default Mode.FAKE;

  /** How the jobs a test enqueues run. */
  enum Mode {
    /**
     * Each enqueue runs the jobs it made ready on the caller's thread before it returns, their
     * retries and delays included (the test clock jumps to them): handlers see the caller's
     * thread-locals, and the test reads outcomes right after.
     */
    INLINE,
    /**
     * Jobs collect in the broker; the test asserts what was enqueued ({@link
     * TestJobs#assertEnqueued}) and runs them when it chooses ({@link TestJobs#drain}).
     */
    FAKE,
    /**
     * A real {@link dev.jobq.worker.Worker} over the in-memory broker, on its own threads,
     * started by {@link TestJobs#startWorker}: for tests of concurrency, timeouts and leases.
     */
    WORKER
  }
}
