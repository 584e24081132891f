package dev.jobq.redis;

import static dev.jobq.redis.Fixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobq.BrokerUnavailableException;
import dev.jobq.JobClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// against a redis-server serving TLS with a throwaway CA made by openssl. */
class TlsTest {
  @TempDir static Path certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is missing");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jobq test CA",
        "-keyout", "ca.key", "-out", "ca.crt");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "server.key", "-out", "server.csr");
    Files.writeString(certs.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.crt");
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void brokerTalksTlsWithAServerSignedByTheGivenCa() throws IOException {
    int tlsPort = freePort();
    try (TestRedis server = TestRedis.start("--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", certs.resolve("server.crt").toString(),
        "--tls-key-file", certs.resolve("server.key").toString(),
        "--tls-ca-cert-file", certs.resolve("ca.crt").toString(),
        "--tls-auth-clients", "no")) {
      String url = "rediss://127.0.0.1:" + tlsPort;
      try (RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(url)
          .caFile(certs.resolve("ca.crt")).build())) {
        JobClient client = JobClient.create(broker);
        String id = client.enqueue(job("a").build()).jobId();
        assertThat(client.require("default", id).type()).isEqualTo("a");
      }
      try (RedisBroker untrusted = RedisBroker.connect(url)) {
        assertThatThrownBy(untrusted::ping).isInstanceOf(BrokerUnavailableException.class)
            .hasMessageContaining(url);
      }
      assertThat(server.isRunning()).isTrue();
    }
  }
}
