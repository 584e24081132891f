package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  static final String TOKEN = "s3cret-0123456789abcdef";

  @Test
  void readsOneEntryPerLineSkippingCommentsAndBlankLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# operators\nadmin " + TOKEN + "\n\n  produce,work\t"
        + TOKEN + "-w  \n# end\n");

    HttpSettings settings = HttpSettings.builder().tokenFile(file).build();

    assertThat(settings.requiresTokens()).isTrue();
    assertThat(settings.describeTokens())
        .containsExactly("token #1 (admin)", "token #2 (produce, work)");
    assertThat(settings.access.holder(TOKEN + "-w")).hasValueSatisfying(
        t -> assertThat(t.number()).isEqualTo(2));
  }

  @Test
  void keepsOnlyADigestOfEachToken() {
    Tokens tokens = Tokens.parseList("read " + TOKEN, "env");

    Tokens.Token token = tokens.all().get(0);
    assertThat(token.digest()).isEqualTo(Tokens.digest(TOKEN)).hasSize(32);
    assertThat(token.toString()).isEqualTo("token #1 (read)");
    assertThat(tokens.find(TOKEN)).contains(token);
  }

  @Test
  void refusesAShortTokenWithoutShowingIt() {
    assertThatThrownBy(() -> Tokens.parseList("read ok; admin short-token", "JOBQ_HTTP_TOKENS"))
        .hasMessageStartingWith("JOBQ_HTTP_TOKENS entry 1: the token has 2 characters;"
            + " give at least 16");
    assertThatThrownBy(() -> Tokens.parseLines("\n\nadmin short-token", "token file f"))
        .hasMessageStartingWith("token file f line 3: the token has 11 characters")
        .hasMessageNotContaining("short-token");
  }

  @Test
  void refusesAnUnknownRoleAndNeverEchoesWhatMayBeAToken() {
    assertThatThrownBy(() -> Tokens.parseList("writer " + TOKEN, "env"))
        .hasMessageContaining("env entry 1: unknown role 'writer'")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> Tokens.parseList(TOKEN + " admin", "env"))
        .hasMessageContaining("the first field is not a role")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> Tokens.parseList("public " + TOKEN, "env"))
        .hasMessageContaining("unknown role 'public'");
    assertThatThrownBy(() -> Tokens.parseList(TOKEN, "env"))
        .hasMessageContaining("expected '<role>[,<role>…] <token>'")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void refusesATokenGivenTwice() {
    Tokens first = Tokens.parseList("read " + TOKEN, "env");

    assertThatThrownBy(() -> first.and(Tokens.parseLines("admin " + TOKEN, "file")))
        .hasMessageContaining("token #2: repeats the token of token #1")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void aMissingTokenFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> HttpSettings.builder().tokenFile(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the token file " + missing);
  }

  @Test
  void refusesACorsOriginWithAPathOrWithoutScheme() {
    assertThatThrownBy(() -> HttpSettings.builder().corsOrigin("https://a.example/app"))
        .hasMessageContaining("CORS origin 'https://a.example/app': an origin has no path");
    assertThatThrownBy(() -> HttpSettings.builder().corsOrigin("a.example"))
        .hasMessageContaining("needs the scheme http:// or https://");
  }
}
