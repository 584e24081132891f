package dev.jobq.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS from a PEM certificate chain and a PEM PKCS#8 private key, read with the JDK alone: the
 * files certbot, openssl and most tools write, with no keystore to build by hand.
 */
final class Tls {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final char[] NO_PASSWORD = new char[0];
  private static final PSSParameterSpec PSS_SHA256 = new PSSParameterSpec("SHA-256", "MGF1",
      MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

  private final KeyStore keyStore;

  private Tls(KeyStore keyStore) {
    this.keyStore = keyStore;
  }

  /** Reads and checks both files now, so that a bad one stops the server before it starts. */
  static Tls load(Path certificateChain, Path privateKey) {
    List<Certificate> chain = chain(certificateChain);
    PrivateKey key = key(privateKey, chain.get(0).getPublicKey().getAlgorithm());
    checkPair(key, chain.get(0), privateKey, certificateChain);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("jobq", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
      return new Tls(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("TLS key " + privateKey + " and certificate "
          + certificateChain + " cannot be used together: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a key that is not the certificate's: the keystore takes any pair, and the mistake
   * would only show as every handshake failing. A nonce signed with the key must verify with the
   * certificate's public key.
   */
  private static void checkPair(PrivateKey key, Certificate certificate, Path keyFile,
      Path certificateFile) {
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    boolean matches;
    try {
      Signature signer = signature(key);
      signer.initSign(key);
      signer.update(nonce);
      byte[] signature = signer.sign();
      Signature verifier = signature(key);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(nonce);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS key " + keyFile + " cannot be checked against"
          + " certificate " + certificateFile + " (" + e.getMessage() + ")", e);
    }
    if (!matches) {
      throw new IllegalArgumentException("TLS key " + keyFile + " is not the key of the first"
          + " certificate in " + certificateFile + ": give the private key the certificate was"
          + " issued for (certbot's privkey.pem beside its fullchain.pem)");
    }
  }

  /** A signature the key can make, for the check above. */
  private static Signature signature(PrivateKey key) throws GeneralSecurityException {
    return switch (key.getAlgorithm()) {
      case "RSA" -> Signature.getInstance("SHA256withRSA");
      case "EC" -> Signature.getInstance("SHA256withECDSA");
      case "RSASSA-PSS" -> pss((RSAKey) key);
      default -> Signature.getInstance(key.getAlgorithm()); // EdDSA, Ed25519: named as the key
    };
  }

  /**
   * PSS takes its digest and salt as parameters, and Java's signature has none until told: the
   * ones a restricted key is bound to, else SHA-256's, as TLS 1.3's rsa_pss_pss_sha256 uses.
   */
  private static Signature pss(RSAKey key) throws GeneralSecurityException {
    Signature pss = Signature.getInstance("RSASSA-PSS");
    AlgorithmParameterSpec restricted = key.getParams();
    pss.setParameter(restricted != null ? restricted : PSS_SHA256);
    return pss;
  }

  /** An HTTPS connector on {@code host}:{@code port} for Javalin's {@code addConnector}. */
  Connector connector(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword("");
    HttpConfiguration https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private static List<Certificate> chain(Path file) {
    String pem = read(file, "certificate");
    try {
      List<Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("TLS certificate " + file + " holds no certificate;"
            + " give a PEM file starting with -----BEGIN CERTIFICATE-----");
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS certificate " + file + " is not a PEM certificate"
          + " chain (" + e.getMessage() + "); give a file of -----BEGIN CERTIFICATE----- blocks,"
          + " the server's first", e);
    }
  }

  private static PrivateKey key(Path file, String algorithm) {
    Matcher block = PEM_BLOCK.matcher(read(file, "key"));
    if (!block.find()) {
      throw new IllegalArgumentException("TLS key " + file + " is not PEM; give a file starting"
          + " with -----BEGIN PRIVATE KEY-----");
    }
    if (!block.group(1).equals("PRIVATE KEY")) {
      throw new IllegalArgumentException("TLS key " + file + " is a '" + block.group(1)
          + "'; give an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----): convert it with"
          + " 'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS key " + file + " is not a " + algorithm
          + " PKCS#8 key matching the certificate's (" + e.getMessage() + ")", e);
    }
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the TLS " + what + " file " + file + ": "
          + e, e);
    }
  }
}
