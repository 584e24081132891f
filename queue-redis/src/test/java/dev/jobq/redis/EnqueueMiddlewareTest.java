package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.EnqueueMiddleware;
import dev.jobq.EnqueueResult;
import dev.jobq.InvalidJobException;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnqueueMiddlewareTest {
  final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Adds a header, as a tracing middleware would. */
  static final EnqueueMiddleware TRACE = new EnqueueMiddleware() {
    @Override
    public JobRequest beforeEnqueue(JobRequest r) {
      return r.toBuilder().header("trace-id", "t-" + r.id()).build();
    }
  };

  /** Refuses jobs of type "forbidden". */
  static final EnqueueMiddleware POLICY = new EnqueueMiddleware() {
    @Override
    public JobRequest beforeEnqueue(JobRequest r) {
      if (r.type().equals("forbidden")) {
        throw new InvalidJobException("job type 'forbidden' is not allowed here");
      }
      return r;
    }
  };

  @Test
  void middlewareEnrichesInOrderAndSeesWhatEnqueueAnswered() {
    List<String> seen = new ArrayList<>();
    JobClient client = f.client.withMiddleware(TRACE, new EnqueueMiddleware() {
      @Override
      public JobRequest beforeEnqueue(JobRequest r) {
        seen.add("before " + r.headers().get("trace-id"));
        return r;
      }

      @Override
      public void afterEnqueue(JobRequest r, EnqueueResult result) {
        seen.add("after " + result.jobId() + " " + result.status());
      }
    });

    EnqueueResult r = client.enqueue(job("a").id("j1").build());

    assertThat(r.jobId()).as("the copy is the same job").isEqualTo("j1");
    assertThat(f.client.require("default", "j1").headers()).containsEntry("trace-id", "t-j1");
    assertThat(seen).containsExactly("before t-j1", "after j1 WAITING");
  }

  @Test
  void aRefusalRefusesTheWholeBatchAndWritesNothing() {
    JobClient client = f.client.withMiddleware(POLICY);

    assertThatThrownBy(() -> client.enqueueAll(List.of(job("fine").build(), job("forbidden").build())))
        .isInstanceOf(InvalidJobException.class).hasMessageContaining("'forbidden' is not allowed");
    assertThat(f.storedIds("default")).isEmpty();
  }

  /** Found by ServiceLoader through a services file the test writes. */
  public static class Stamp implements EnqueueMiddleware {
    @Override
    public JobRequest beforeEnqueue(JobRequest r) {
      return r.toBuilder().header("stamped", "yes").build();
    }
  }

  @Test
  void middlewareIsFoundWithServiceLoaderAfterTheOnesAddedInCode(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services/dev.jobq.EnqueueMiddleware");
    Files.createDirectories(services.getParent());
    Files.writeString(services, Stamp.class.getName() + "\n");
    try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      JobClient client = f.client.withMiddleware(POLICY).withDiscoveredMiddleware(jar);
      client.enqueue(job("a").id("s1").build());
    }
    assertThat(f.client.require("default", "s1").headers()).containsEntry("stamped", "yes");
  }

  @Test
  void toBuilderCopiesEveryField() {
    JobRequest r = job("t").id("x").queue("q").payload("{\"a\":1}").maxAttempts(4)
        .dependsOn("p").runEvenIfParentsFail().unique("u", java.time.Duration.ofMinutes(1))
        .header("h", "v").delay(java.time.Duration.ofSeconds(3)).build();
    JobRequest copy = r.toBuilder().build();

    assertThat(copy).usingRecursiveComparison().isEqualTo(r);
    assertThat(job("t").build().toBuilder().build().idChosen()).isFalse();
  }
}
