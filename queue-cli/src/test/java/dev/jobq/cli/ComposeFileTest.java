package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** docker-compose.yml is what docker-compose accepts, with the deployment the README promises. */
class ComposeFileTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void composeFileIsValidWithThreeWorkersAndRedisAof() throws Exception {
    assertThat(ROOT.resolve("docker-compose.yml")).exists();
    String config = compose("config");
    assertThat(compose("config", "-q")).isEmpty();
    assertThat(config).contains("replicas: 3").contains("--appendonly").contains("redis-data");
    assertThat(config).contains("REDIS_URL: redis://redis:6379");
  }

  private static String compose(String... args) throws IOException, InterruptedException {
    String binary = findOnPath("docker-compose");
    if (binary == null) {
      String why = "docker-compose is not installed (scripts/test installs it)";
      if (Boolean.getBoolean("redis.required")) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    String[] cmd = new String[args.length + 1];
    cmd[0] = binary;
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
    assertThat(p.exitValue()).as("docker-compose %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
