package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.JobClient;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestRedis;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/**
 * An {@link HttpApi} on a free port over a RedisBroker on the shared test Redis (or the test's
 * own, see {@link #testRedis()}), under a key prefix of its own, for each test; and the calls the tests make to it.
 */
abstract class ApiTestBase {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  TestRedis redis;
  String prefix;
  RedisBroker broker;
  JobClient client;
  HttpApi api;
  /** The API's root, {@code http://127.0.0.1:<port><base path>/v1}. */
  String base;

  /** The per-job payload limit the API is built with. */
  int maxPayloadBytes() {
    return JobClient.DEFAULT_MAX_PAYLOAD_BYTES;
  }

  String basePath() {
    return "";
  }

  /** The Redis under the test: the shared one; a test that stops it starts its own. */
  TestRedis testRedis() {
    return TestRedis.shared();
  }

  /** Every route open, so that tests of what the routes do need no token; see AccessTest. */
  HttpSettings settings() {
    return HttpSettings.builder().openAccess().build();
  }

  @BeforeEach
  void startApi() {
    redis = testRedis();
    prefix = TestRedis.uniquePrefix();
    broker = RedisBroker.connect(RedisConfig.builder().url(redis.url()).prefix(prefix).build());
    client = JobClient.create(broker);
    api = HttpApi.create(broker, maxPayloadBytes(), settings())
        .redisFacts(broker.tools()::serverInfo, broker.tools()::serverWarnings)
        .redisNodes(broker.tools()::serverInfoByNode, broker.tools()::serverWarningsByNode)
        .start("127.0.0.1", 0, basePath());
    base = "http://127.0.0.1:" + api.port() + basePath() + "/v1";
  }

  @AfterEach
  void stopApi() {
    api.stop();
    broker.close();
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  /** A status, its Content-Type and its body: an answer read off the socket. */
  record Answer(int status, String contentType, String body) {}

  /**
   * A post of a body of {@code length} bytes that only announces it ({@code Expect:
   * 100-continue}, as curl does for large bodies) and reads the answer off a plain socket: a
   * body over the limit is refused before it is sent. Java's HttpClient, asked the same, at
   * times waited for ever on such an answer (seen once in a full run under load).
   */
  Answer announceLarge(String path, long length) throws IOException {
    URI uri = URI.create(base + path);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
          + uri.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + length
          + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return readAnswer(socket.getInputStream());
    }
  }

  private static Answer readAnswer(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    assertThat(end).as("an HTTP answer: %s", text).isPositive();
    String[] lines = text.substring(0, end).split("\r\n");
    String type = null;
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        type = line.substring("content-type:".length()).strip();
      }
    }
    return new Answer(Integer.parseInt(lines[0].split(" ")[1]), type, text.substring(end + 4));
  }

  HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A problem+json answer of this status whose detail names {@code detailPart}. */
  static void assertProblem(HttpResponse<String> r, int status, String detailPart) {
    assertProblem(new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.body()), status, detailPart);
  }

  static void assertProblem(Answer r, int status, String detailPart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).as("Content-Type").startsWith(Problem.CONTENT_TYPE);
    JsonNode p = Json.tree(r.body());
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("type").asText()).isNotEmpty();
    assertThat(p.get("title").asText()).isNotEmpty();
    assertThat(p.get("detail").asText()).contains(detailPart);
  }

  /**
   * Every key under the test's prefix with its type, and each hash's, list's and sorted set's
   * size: what a refused request must leave as it was.
   */
  Map<String, String> keys() {
    Map<String, String> keys = new TreeMap<>();
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      for (String key : jedis.keys(prefix + ":*")) {
        String type = jedis.type(key);
        String size = switch (type) {
          case "hash" -> Long.toString(jedis.hlen(key));
          case "list" -> Long.toString(jedis.llen(key));
          case "zset" -> Long.toString(jedis.zcard(key));
          default -> "";
        };
        keys.put(key, type + " " + size);
      }
    }
    return keys;
  }
}
