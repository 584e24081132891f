package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.redis.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What every command shares: help, version, the Redis options, errors and exit codes. */
class JobqTest {
  private final Cli cli = Cli.fresh();

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void versionPrintsTheProjectVersionWithoutTouchingRedis() throws IOException {
    Cli.Result r = Cli.withEnv(Map.of("REDIS_URL", closedPortUrl())).run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches("jobq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
  }

  @Test
  void helpListsEveryCommandAndTheExitCodesWithoutTouchingRedis() throws IOException {
    Cli.Result r = Cli.withEnv(Map.of("REDIS_URL", closedPortUrl())).run("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("worker, run_worker", "enqueue", "monitor", "clear",
        "retry-failed", "list", "show", "cancel", "stats", "workers", "purge", "pause", "resume",
        "generate-completion", "Exit codes:", "Example:");
  }

  @Test
  void everyCommandsHelpHasADescriptionAndAnExample() {
    CommandLine root = Jobq.commandLine(new Jobq(Map.of()));
    assertThat(root.getSubcommands()).hasSizeGreaterThanOrEqualTo(14);
    root.getSubcommands().forEach((name, sub) -> {
      Cli.Result r = cli.run(name, "--help");

      assertThat(r.exitCode()).as(name).isZero();
      assertThat(r.out()).as(name)
          .contains("Usage: jobq " + sub.getCommandSpec().name(), "Example:");
      assertThat(sub.getCommandSpec().usageMessage().description()).as(name).isNotEmpty();
    });
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = cli.run();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand", "jobq --help");
  }

  @Test
  void aMistypedCommandGetsSuggestions() {
    Cli.Result r = cli.run("lisst");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'lisst'", "jobq list");
  }

  @Test
  void anInvalidRedisUrlIsAUsageErrorNamingIt() {
    Cli.Result r = cli.run("--redis-url", "http://nowhere:1", "stats");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).startsWith("jobq: invalid Redis URL http://nowhere:1: the scheme must be");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void theRedisOptionsWorkAfterTheCommandToo() {
    Cli.Result r = cli.run("stats", "--redis-url", "ftp://nowhere:1");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("invalid Redis URL ftp://nowhere:1");
  }

  @Test
  void anUnreachableRedisIsOneLineAndExitCode1() throws IOException {
    String url = closedPortUrl();
    Cli.Result r = cli.run("--redis-url", url, "stats");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("jobq: cannot reach Redis at " + url + ": ")
        .contains("Connection refused");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    Cli.Result r = cli.run("--redis-url", closedPortUrl(), "list", "--queue", "q", "--verbose");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("jobq: cannot reach Redis", "BrokerUnavailableException",
        "\tat ");
  }

  @Test
  void aPasswordIsNeverPrinted() throws IOException {
    String port = closedPortUrl().replaceAll(".*:", "");
    Cli.Result fromUrl = cli.run("--redis-url", "redis://ops:s3cret@127.0.0.1:" + port, "stats");
    Cli.Result fromEnv = Cli.withEnv(Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", port,
        "REDIS_PASSWORD", "s3cret")).run("workers");
    Cli.Result badUrl = cli.run("--redis-url", "redis://ops:s3cret@127.0.0.1:" + port + "/x",
        "stats");

    assertThat(fromUrl.err()).contains("redis://ops:***@127.0.0.1:" + port).doesNotContain("s3cret");
    assertThat(fromEnv.err()).contains(":***@127.0.0.1:" + port).doesNotContain("s3cret");
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err()).contains("ops:***@").doesNotContain("s3cret");
  }

  @Test
  void thePrefixKeepsTwoInstallationsApart() {
    assertThat(cli.run("enqueue", "jobq.noop", "--queue", "mine").exitCode()).isZero();

    Cli.Result other = cli.run("--prefix", TestRedis.uniquePrefix(), "list", "--queue", "mine");
    Cli.Result same = cli.run("list", "--queue", "mine");

    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).contains("unknown queue 'mine'");
    assertThat(same.exitCode()).isZero();
    assertThat(same.out()).contains("jobq.noop");
  }

  @Test
  void generateCompletionPrintsABashScript() {
    Cli.Result r = cli.run("generate-completion");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F", "jobq");
  }

  /** A port nothing listens on: connecting is refused at once. */
  static String closedPortUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "redis://127.0.0.1:" + s.getLocalPort();
    }
  }
}
