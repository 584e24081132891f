package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files that {@code openssl} writes, as an operator would make them. */
class TlsTest extends ApiTestBase {
  @TempDir static Path dir;
  static Path cert;
  static Path key;

  @BeforeAll
  static void makeSelfSignedCertificate() throws Exception {
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", key.toString(), "-out", cert.toString());
  }

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().openAccess().tls(cert, key).build();
  }

  @Test
  void servesHttpsWithThePemCertificateAndKey() throws Exception {
    HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).build();
    String https = "https://127.0.0.1:" + api.port() + "/v1";

    HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(https + "/queues"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(api.usesTls()).isTrue();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
  }

  @Test
  void theDashboardsSessionCookieIsSecureOverHttps() throws Exception {
    String token = "tls-test-admin-token-0123456789";
    HttpApi withTokens = HttpApi.create(broker, HttpSettings.builder().tls(cert, key)
        .tokens("admin " + token, "test").build()).start("127.0.0.1", 0, "");
    try {
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).build();
      HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + withTokens.port() + "/v1/session")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"token\":\"" + token + "\"}")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Set-Cookie")).hasValueSatisfying(
          c -> assertThat(c).contains("; HttpOnly", "; SameSite=Strict", "; Secure"));
    } finally {
      withTokens.stop();
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    String https = "https://127.0.0.1:" + api.port() + "/v1";

    assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create(https + "/queues"))
        .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void acceptsAnEcKey(@TempDir Path own) throws Exception {
    assertServesHttps(own, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
  }

  @Test
  void acceptsAnRsaPssKey(@TempDir Path own) throws Exception {
    assertServesHttps(own, "-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048");
  }

  @Test
  void acceptsAnRsaPssKeyRestrictedToItsParameters(@TempDir Path own) throws Exception {
    assertServesHttps(own, "-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048",
        "-pkeyopt", "rsa_pss_keygen_md:sha384", "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha384",
        "-pkeyopt", "rsa_pss_keygen_saltlen:48");
  }

  /** A self-signed certificate and key made by openssl with {@code newKey}'s options serve HTTPS. */
  private void assertServesHttps(Path files, String... newKey) throws Exception {
    Path ownCert = files.resolve("cert.pem");
    Path ownKey = files.resolve("key.pem");
    List<String> args = new java.util.ArrayList<>(List.of("req", "-x509"));
    args.addAll(List.of(newKey));
    args.addAll(List.of("-nodes", "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", ownKey.toString(), "-out", ownCert.toString()));
    openssl(args.toArray(String[]::new));
    HttpApi server = HttpApi.create(broker, HttpSettings.builder().openAccess()
        .tls(ownCert, ownKey).build()).start("127.0.0.1", 0, "");
    try {
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(ownCert)).build();
      HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + server.port() + "/v1/queues")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    } finally {
      server.stop();
    }
  }

  @Test
  void refusesAnRsaKeyInTheOldFormatSayingHowToConvertIt(@TempDir Path own) throws Exception {
    Path traditional = own.resolve("rsa-key.pem");
    openssl("rsa", "-in", key.toString(), "-traditional", "-out", traditional.toString());

    assertThatThrownBy(() -> HttpSettings.builder().tls(cert, traditional).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a 'RSA PRIVATE KEY'")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + traditional);
  }

  @Test
  void refusesAKeyThatIsNotTheCertificates(@TempDir Path own) throws Exception {
    Path otherKey = own.resolve("other-key.pem");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
        "-out", otherKey.toString());

    assertThatThrownBy(() -> HttpSettings.builder().tls(cert, otherKey).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS key " + otherKey + " is not the key of the first certificate"
            + " in " + cert);
  }

  @Test
  void refusesACertificateFileThatIsNotPem() throws Exception {
    assertThatThrownBy(() -> HttpSettings.builder().tls(key, key).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS certificate " + key);
    assertThatThrownBy(() -> HttpSettings.builder().tls(cert, dir.resolve("missing")).build())
        .hasMessageContaining("cannot read the TLS key file");
  }

  static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("server",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
