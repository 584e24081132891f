package dev.jobq.worker;

import dev.jobq.JobHandler;
import dev.jobq.JobHandlerProvider;
import java.util.Map;

/** Listed in the test classpath's META-INF/services: what a user's handler jar contains. */
public class TestHandlerProvider implements JobHandlerProvider {
  @Override
  public Map<String, JobHandler> handlers() {
    return Map.of(
        "test.discovered", ctx -> "discovered",
        "jobq.echo", ctx -> "provider's echo");
  }

  /** Offers a type that {@link Other} offers too. */
  public static class Conflicting implements JobHandlerProvider {
    @Override
    public Map<String, JobHandler> handlers() {
      return Map.of("test.dup", ctx -> null);
    }
  }

  public static class Other implements JobHandlerProvider {
    @Override
    public Map<String, JobHandler> handlers() {
      return Map.of("test.dup", ctx -> null);
    }
  }
}
