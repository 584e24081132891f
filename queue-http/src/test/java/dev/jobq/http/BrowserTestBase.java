package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobq.Job;
import dev.jobq.JobRequest;
import dev.jobq.internal.Json;
import dev.jobq.spi.Failure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard in a real browser (headless chromium, one per test class) over a real API and
 * Redis, served under a base path to show that every link is relative; each test saves a
 * screenshot under target/screenshots/.
 */
abstract class BrowserTestBase extends OperatorTestBase {
  static Browser browser;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @Override
  String basePath() {
    return "/jobq";
  }

  @AfterEach
  void saveScreenshot(TestInfo test) {
    browser.screenshot(test.getTestMethod().orElseThrow().getName());
  }

  /** Opens a page and waits until the dashboard has read its session and drawn it. */
  void open(String page) {
    browser.driver.get("http://127.0.0.1:" + api.port() + basePath() + "/#/" + page);
    browser.waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-started",
        "true"));
  }

  void actAsAdmin() {
    browser.driver.executeAsyncScript("const done = arguments[0];"
        + "import('./ui/app.js').then(app => app.started.then(() => {"
        + " app.applySession({roles: ['admin']}); return app.route(); })).then(() => done());");
  }

  static By button(String label) {
    return By.xpath("//main//button[text()='" + label + "']");
  }

  void click(String label) {
    browser.waiting().until(ExpectedConditions.elementToBeClickable(button(label))).click();
  }

  void waitForStatus(String status) {
    browser.waiting().ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBe(By.id("job-status"), status));
  }

  /** A job of its own, claimed and failed for good with this message. */
  void failWith(String queue, String id, String message) {
    client.enqueue(JobRequest.builder("print").queue(queue).id(id).maxAttempts(1).build());
    List<Job> claimed = broker.claim(queue, "w", 1, Duration.ofMinutes(1));
    broker.fail(queue, id, claimed.get(0).token(),
        new Failure("PrinterException", message, "at Printer.print"), null);
  }

  /** What a worker in any language does: claims the job over the API and completes it. */
  void complete(String queue, String id, String result) throws Exception {
    JsonNode claim = Json.tree(post("/queues/" + queue + "/claim",
        "{\"worker\":\"browser-test\",\"lease\":\"1m\"}").body());
    JsonNode job = claim.get("jobs").get(0);
    assertThat(job.get("id").asText()).isEqualTo(id);
    String done = "{\"token\":" + job.get("token").asLong() + ",\"result\":" + result + "}";
    assertThat(post("/queues/" + queue + "/jobs/" + id + "/complete", done).statusCode())
        .isEqualTo(200);
  }
}
