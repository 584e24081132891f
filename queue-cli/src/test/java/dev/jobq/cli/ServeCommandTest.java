package dev.jobq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobq serve} refuses unsafe or broken security settings before it connects to Redis. */
class ServeCommandTest {
  static final String TOKEN = "s3cret-0123456789abcdef";

  @Test
  void withoutTokensItRefusesToServeBeyondLoopback() {
    Cli.Result r = Cli.withEnv(Map.of()).run("serve", "--bind", "0.0.0.0");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("bind address 0.0.0.0 is not a loopback address",
        "configure tokens (--token-file FILE or $JOBQ_HTTP_TOKENS)");
  }

  @Test
  void aProtectMetricsEnvironmentValueThatIsNoBooleanIsNamed() {
    Cli.Result r = Cli.withEnv(Map.of("JOBQ_HTTP_PROTECT_METRICS", "maybe")).run("serve");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("invalid JOBQ_HTTP_PROTECT_METRICS 'maybe': use true or false");
  }

  @Test
  void aShortTokenIsRefusedWithoutShowingIt() {
    Cli.Result r = Cli.withEnv(Map.of("JOBQ_HTTP_TOKENS", "admin " + TOKEN + "; read tiny-token"))
        .run("serve");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("$JOBQ_HTTP_TOKENS entry 2: the token has 10 characters;"
        + " give at least 16").doesNotContain("tiny-token").doesNotContain(TOKEN);
  }

  @Test
  void aBadLineOfTheTokenFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# ops\nadmin " + TOKEN + "\nsuperuser " + TOKEN + "x\n");

    Cli.Result r = Cli.withEnv(Map.of()).run("serve", "--token-file", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("token file " + file + " line 3: unknown role 'superuser'")
        .doesNotContain(TOKEN);
  }

  @Test
  void aMissingTokenFileFromTheEnvironmentIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("missing");

    Cli.Result r = Cli.withEnv(Map.of("JOBQ_HTTP_TOKEN_FILE", missing.toString())).run("serve");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read the token file " + missing);
  }

  @Test
  void tlsNeedsBothCertificateAndKey(@TempDir Path dir) {
    Cli.Result r = Cli.withEnv(Map.of())
        .run("serve", "--tls-cert", dir.resolve("cert.pem").toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("TLS needs both a certificate and its key");
  }

  @Test
  void aCorsOriginWithAPathIsRefused() {
    Cli.Result r = Cli.withEnv(Map.of("JOBQ_HTTP_CORS_ORIGINS",
        "https://ops.example.com, https://other.example.com/app")).run("serve");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("CORS origin 'https://other.example.com/app'");
  }
}
