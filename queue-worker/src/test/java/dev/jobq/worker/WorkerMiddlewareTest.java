package dev.jobq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobMiddleware;
import dev.jobq.JobStatus;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMiddlewareTest extends WorkerTestSupport {
  static final List<String> calls = new CopyOnWriteArrayList<>();

  /** Found by ServiceLoader through a services file the test writes. */
  public static class Discovered implements JobMiddleware {
    @Override
    public Object around(dev.jobq.JobContext ctx, Next next) throws Exception {
      calls.add("discovered");
      return next.proceed();
    }
  }

  private static JobMiddleware named(String name) {
    return (ctx, next) -> {
      calls.add(name + " in");
      try {
        return next.proceed();
      } finally {
        calls.add(name + " out");
      }
    };
  }

  @Test
  void middlewareRunsInOrderAroundTheHandlerAndSeesTheHeaders() {
    calls.clear();
    startWorker(b -> b.middleware(named("outer")).middleware(named("inner"))
        .middleware((ctx, next) -> Map.of("handler", next.proceed(),
            "trace", ctx.headers().get("trace-id")))
        .handler("test.work", ctx -> {
          calls.add("handler");
          return 7;
        }));
    String id = enqueue("test.work", "null", r -> r.header("trace-id", "abc123"));

    Job done = awaitStatus(id, JobStatus.COMPLETED);
    assertThat(calls).containsExactly("outer in", "inner in", "handler", "inner out", "outer out");
    assertThat(dev.jobq.internal.Json.decodeStringMap(done.result()))
        .isEqualTo(Map.of("handler", "7", "trace", "abc123"));
    assertThat(done.headers()).containsEntry("trace-id", "abc123");
  }

  @Test
  void middlewareThatThrowsFailsTheAttemptLikeAHandlerAndTheWorkerGoesOn() {
    startWorker(b -> b.middleware((ctx, next) -> {
      if (ctx.payloadTree().asInt() == 1) {
        throw new IllegalStateException("refused by policy");
      }
      return next.proceed();
    }).handler("test.work", ctx -> "ran"));
    String refused = enqueue("test.work", "1", r -> r.maxAttempts(1));
    String fine = enqueue("test.work", "2");

    Job failed = awaitStatus(refused, JobStatus.FAILED);
    assertThat(failed.error()).isEqualTo("refused by policy");
    assertThat(awaitStatus(fine, JobStatus.COMPLETED).result()).isEqualTo("\"ran\"");
  }

  @Test
  void discoveredMiddlewareRunsInsideTheOnesAddedInCode(@TempDir Path dir) throws Exception {
    calls.clear();
    Path services = dir.resolve("META-INF/services/dev.jobq.JobMiddleware");
    Files.createDirectories(services.getParent());
    Files.writeString(services, Discovered.class.getName() + "\n");
    try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      startWorker(b -> b.middleware(named("code")).discoverHandlers(jar).handler("test.work",
          ctx -> {
            calls.add("handler");
            return null;
          }));
      awaitStatus(enqueue("test.work", "null"), JobStatus.COMPLETED);
    }
    assertThat(calls).containsExactly("code in", "discovered", "handler", "code out");
  }
}
