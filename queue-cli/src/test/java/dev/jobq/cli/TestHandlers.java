package dev.jobq.cli;

import dev.jobq.JobHandler;
import dev.jobq.JobHandlerProvider;
import java.util.Locale;
import java.util.Map;

/**
 * A handler provider that only a jar on {@code --handler-path} announces: the test classpath has
 * no service file for it, so a worker finds it through that jar or not at all.
 */
public final class TestHandlers implements JobHandlerProvider {
  @Override
  public Map<String, JobHandler> handlers() {
    return Map.of("test.upper",
        ctx -> ctx.payloadTree().asText().toUpperCase(Locale.ROOT));
  }
}
