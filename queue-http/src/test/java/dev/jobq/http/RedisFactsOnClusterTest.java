package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.internal.Json;
import dev.jobq.redis.RedisBroker;
import dev.jobq.redis.RedisConfig;
import dev.jobq.redis.TestCluster;
import dev.jobq.redis.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** GET /v1/redis over a real three-master Redis Cluster: every master's facts and warnings. */
class RedisFactsOnClusterTest {
  @Test
  void everyMasterIsListedWithItsOwnFactsAndWarnings() throws Exception {
    try (TestCluster cluster = TestCluster.start();
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url())
            .prefix(TestRedis.uniquePrefix()).build())) {
      HttpApi api = HttpApi.create(broker, HttpSettings.builder().openAccess().build())
          .redisFacts(broker.tools()::serverInfo, broker.tools()::serverWarnings)
          .redisNodes(broker.tools()::serverInfoByNode, broker.tools()::serverWarningsByNode)
          .start("127.0.0.1", 0, "");
      try {
        HttpResponse<String> r = ApiTestBase.HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + api.port() + "/v1/redis")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode facts = Json.tree(r.body());
        assertThat(facts.get("mode").asText()).isEqualTo("cluster");
        List<String> nodes = new ArrayList<>();
        for (JsonNode node : facts.get("nodes")) {
          nodes.add(node.get("node").asText());
          assertThat(node.get("usedMemory").asText()).isNotEmpty();
          // the test cluster persists nothing: each master says so itself
          assertThat(node.get("warnings").toString()).contains("persists nothing");
        }
        assertThat(nodes).containsExactlyInAnyOrderElementsOf(
            cluster.ports().stream().map(p -> "127.0.0.1:" + p).toList());
        // at the top, a warning that holds for every master is given once, naming them all
        List<String> persistence = new ArrayList<>();
        facts.get("warnings").forEach(w -> {
          if (w.asText().contains("persists nothing")) {
            persistence.add(w.asText());
          }
        });
        assertThat(persistence).hasSize(1);
        assertThat(persistence.get(0)).contains(nodes);
      } finally {
        api.stop();
      }
    }
  }

  @Test
  void theDashboardShowsALinePerMasterWithItsWarnings() {
    try (TestCluster cluster = TestCluster.start();
        RedisBroker broker = RedisBroker.connect(RedisConfig.builder().url(cluster.url())
            .prefix(TestRedis.uniquePrefix()).build());
        Browser browser = Browser.start()) {
      HttpApi api = HttpApi.create(broker, HttpSettings.builder().openAccess().build())
          .redisFacts(broker.tools()::serverInfo, broker.tools()::serverWarnings)
          .redisNodes(broker.tools()::serverInfoByNode, broker.tools()::serverWarningsByNode)
          .start("127.0.0.1", 0, "");
      try {
        browser.driver.get("http://127.0.0.1:" + api.port() + "/#/");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("section.redis .node"), 3));

        for (int port : cluster.ports()) {
          WebElement node = browser.driver.findElement(
              By.cssSelector("section.redis .node[data-node='127.0.0.1:" + port + "']"));
          assertThat(node.getText()).contains("127.0.0.1:" + port).contains("usedMemory");
          assertThat(node.findElements(By.cssSelector(".warning")))
              .anySatisfy(w -> assertThat(w.getText()).contains("persists nothing"));
        }
        browser.screenshot("theDashboardShowsALinePerMasterWithItsWarnings");
      } finally {
        api.stop();
      }
    }
  }
}
