package dev.jobq.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who may call an {@link HttpApi} and how: bearer tokens with roles, TLS, CORS. The
 * {@link #defaults()} are the safe ones: no token, so the API only reads and serves 127.0.0.1.
 * Every setting is checked when {@link Builder#build()} runs (files read, tokens parsed), so a
 * bad one stops the server before it starts, with a message naming the file, line or value.
 *
 * <pre>{@code
 * HttpSettings settings = HttpSettings.builder()
 *     .tokenFile(Path.of("/etc/jobq/tokens"))
 *     .tls(Path.of("fullchain.pem"), Path.of("privkey.pem"))
 *     .corsOrigin("https://ops.example.com")
 *     .build();
 * HttpApi.create(broker, settings).start("0.0.0.0", 8443, "");
 * }</pre>
 */
public final class HttpSettings {
  /** The fewest characters a token may have. */
  public static final int MIN_TOKEN_LENGTH = Tokens.MIN_LENGTH;

  final Access access;
  final Tls tls;
  final List<String> corsOrigins;
  /** What {@code GET /metrics} needs: public unless {@link Builder#protectMetrics()}. */
  final Role metricsRole;

  private HttpSettings(Builder b) {
    this.access = b.open ? Access.open() : Access.of(b.tokens);
    this.tls = b.certificateChain == null ? null : Tls.load(b.certificateChain, b.privateKey);
    this.corsOrigins = List.copyOf(b.corsOrigins);
    this.metricsRole = b.protectMetrics ? Role.READ : Role.PUBLIC;
  }

  /** No token (read-only, 127.0.0.1 only), plain HTTP, no CORS. */
  public static HttpSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether callers need a token: false when none is configured or access is open. */
  public boolean requiresTokens() {
    return access.hasTokens();
  }

  /** Whether every route is open to everyone ({@link Builder#openAccess()}). */
  public boolean isOpen() {
    return access.isOpen();
  }

  /** Whether the API serves HTTPS. */
  public boolean usesTls() {
    return tls != null;
  }

  /** The origins whose browser pages may call the API; empty when CORS is off. */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** Whether {@code GET /metrics} answers without a token (the default). */
  public boolean publicMetrics() {
    return metricsRole == Role.PUBLIC;
  }

  /** The tokens by number and roles, such as "token #1 (admin)": never the tokens themselves. */
  public List<String> describeTokens() {
    return access.describeTokens();
  }

  /**
   * Checks that the API may serve {@code bind}: without tokens anyone who reaches it may read,
   * so only this machine may reach it.
   *
   * @throws IllegalArgumentException when no token is configured (and access is not open) and
   *     {@code bind} is not a loopback address, or is unknown
   */
  public void checkBind(String bind) {
    if (isOpen() || requiresTokens() || isLoopback(bind)) {
      return;
    }
    throw new IllegalArgumentException("bind address " + bind + " is not a loopback address,"
        + " and no token is configured: without tokens jobq serves 127.0.0.1 only; configure"
        + " tokens (--token-file FILE or $JOBQ_HTTP_TOKENS) to serve other addresses");
  }

  private static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bind address '" + bind + "' is unknown ("
          + e.getMessage() + "); give an address of this machine, such as 127.0.0.1", e);
    }
  }

  /** Builds {@link HttpSettings}; every method may be called more than once. */
  public static final class Builder {
    private Tokens tokens = Tokens.NONE;
    private boolean open;
    private Path certificateChain;
    private Path privateKey;
    private final List<String> corsOrigins = new ArrayList<>();
    private boolean protectMetrics;

    private Builder() {}

    /**
     * Adds the tokens of a file: one {@code <role>[,<role>…] <token>} per line, roles among
     * {@code read}, {@code produce}, {@code work}, {@code admin}; {@code #} starts a comment.
     *
     * @throws IllegalArgumentException naming the file and line when it cannot be read or parsed
     */
    public Builder tokenFile(Path file) {
      Objects.requireNonNull(file, "file");
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the token file " + file + ": " + e, e);
      }
      tokens = tokens.and(Tokens.parseLines(text, "token file " + file));
      return this;
    }

    /**
     * Adds tokens given as {@code <role>[,<role>…] <token>} entries separated by {@code ;};
     * {@code source} names where they came from in error messages, such as an environment
     * variable's name.
     */
    public Builder tokens(String entries, String source) {
      tokens = tokens.and(Tokens.parseList(Objects.requireNonNull(entries, "entries"), source));
      return this;
    }

    /**
     * Opens every route to everyone, without a token: for tests, or a server that only trusted
     * callers can reach through a gate of their own. Tokens given are then ignored.
     */
    public Builder openAccess() {
      open = true;
      return this;
    }

    /**
     * Makes {@code GET /metrics} a reading route like the others: with tokens configured, the
     * scraper must send one with the read role. By default it is public, as Prometheus scrapers
     * usually send no token; its figures are counts per queue, never a job or its payload.
     */
    public Builder protectMetrics() {
      protectMetrics = true;
      return this;
    }

    /** Serves HTTPS with a PEM certificate chain (the server's first) and PEM PKCS#8 key. */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Lets a browser page of {@code origin} ({@code https://host[:port]}) call the API. Without
     * any, browsers refuse cross-origin calls.
     */
    public Builder corsOrigin(String origin) {
      corsOrigins.add(checkOrigin(origin));
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the file or the value when one is bad
     */
    public HttpSettings build() {
      return new HttpSettings(this);
    }

    private static String checkOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      String problem = null;
      try {
        URI uri = new URI(origin);
        if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
          problem = "it needs the scheme http:// or https://";
        } else if (uri.getHost() == null) {
          problem = "it names no host";
        } else if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty())
            || uri.getRawQuery() != null || uri.getRawFragment() != null) {
          problem = "an origin has no path, query or fragment";
        }
      } catch (URISyntaxException e) {
        problem = "it is not a URL (" + e.getReason() + ")";
      }
      if (problem != null) {
        throw new IllegalArgumentException("CORS origin '" + origin + "': " + problem
            + "; give scheme, host and port only, such as https://ops.example.com:8443");
      }
      return origin;
    }
  }
}
