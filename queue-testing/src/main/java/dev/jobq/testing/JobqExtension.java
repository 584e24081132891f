package dev.jobq.testing;

import dev.jobq.JobClient;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each test its own {@link TestJobs} (and so its own in-memory broker), in the mode of
 * its {@link JobqTest}, and closes it after the test. Test methods and their {@code @BeforeEach}
 * and {@code @AfterEach} methods may ask for a {@link JobClient}, {@link TestJobs}, {@link
 * InMemoryBroker} or {@link ManualClock}: all of one test's parameters share one broker.
 */
public final class JobqExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(JobqExtension.class);
  private static final Set<Class<?>> GIVEN =
      Set.of(JobClient.class, TestJobs.class, InMemoryBroker.class, ManualClock.class, Clock.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    if (!GIVEN.contains(parameter.getParameter().getType())) {
      return false;
    }
    if (context.getTestMethod().isEmpty()) {
      // a constructor or @BeforeAll: one broker would be shared by every test, and never closed
      throw new ParameterResolutionException("@JobqTest gives a " + parameter.getParameter()
          .getType().getSimpleName() + " to test methods and their @BeforeEach and @AfterEach"
          + " methods only (each test has a broker of its own), not to "
          + parameter.getDeclaringExecutable());
    }
    return true;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestJobs jobs = jobs(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == JobClient.class) {
      return jobs.client();
    }
    if (type == InMemoryBroker.class) {
      return jobs.broker();
    }
    if (type == ManualClock.class || type == Clock.class) {
      return jobs.clock();
    }
    return jobs;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestJobs jobs = context.getStore(NAMESPACE).remove(TestJobs.class, TestJobs.class);
    if (jobs != null) {
      jobs.close();
    }
  }

  private static TestJobs jobs(ExtensionContext context) {
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestJobs.class, k -> new TestJobs(mode(context)), TestJobs.class);
  }

  /** The method's {@link JobqTest}, else its class's (or an enclosing class's), else FAKE. */
  private static JobqTest.Mode mode(ExtensionContext context) {
    Optional<JobqTest> onMethod = context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, JobqTest.class));
    if (onMethod.isPresent()) {
      return onMethod.get().mode();
    }
    for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
      Optional<JobqTest> onClass = AnnotationSupport.findAnnotation(c, JobqTest.class);
      if (onClass.isPresent()) {
        return onClass.get().mode();
      }
    }
    return JobqTest.Mode.FAKE;
  }
}
