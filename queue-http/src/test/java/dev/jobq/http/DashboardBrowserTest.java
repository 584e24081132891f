package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The dashboard's pages in a real browser, over an API whose routes are open to the test. */
class DashboardBrowserTest extends BrowserTestBase {
  @Test
  void overviewShowsATilePerQueueWithItsFigures() {
    enqueue("mail", "m1");
    enqueue("mail", "m2");
    enqueue("reports", "r1");

    open("");
    WebElement mail = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector(".tile[data-queue='mail']")));

    assertThat(mail.findElement(By.cssSelector("[data-figure='waiting'] dd")).getText())
        .isEqualTo("2");
    assertThat(browser.driver.findElements(By.cssSelector(".tile")))
        .extracting(t -> t.getAttribute("data-queue")).containsExactly("mail", "reports");
  }

  @Test
  void overviewFitsAPhonesWidth() {
    enqueue("mail", "m1");
    browser.window().setSize(new Dimension(390, 844));
    try {
      open("");
      browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector(".tile[data-queue='mail']")));
      Object overflow = browser.driver.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(((Number) overflow).longValue()).as("pixels scrolled sideways").isLessThanOrEqualTo(0);
      browser.screenshot("overviewFitsAPhonesWidth-phone");
    } finally {
      browser.window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  void aQueueIsReachedFromTheOverviewByKeyboard() {
    enqueue("mail", "m1");
    open("");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector(".tile[data-queue='mail']")));

    Actions keys = new Actions(browser.driver);
    for (int tabs = 0; tabs < 15 && !browser.driver.switchTo().activeElement().getText()
        .equals("mail"); tabs++) {
      keys.sendKeys(Keys.TAB).perform();
    }
    assertThat(browser.driver.switchTo().activeElement().getText()).as("focused by Tab")
        .isEqualTo("mail");
    keys.sendKeys(Keys.ENTER).perform();

    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Queue mail"));
  }

  @Test
  void everyPageRendersWithoutAConsoleError() throws Exception {
    failed("mail", "dead-1");
    enqueue("mail", "m1");
    assertThat(put("/queues/mail/limits/deploy", "{\"maxRunning\":2}").statusCode()).isEqualTo(200);
    assertThat(put("/queues/mail/schedules/nightly", "{\"type\":\"report\",\"every\":\"1h\"}")
        .statusCode()).isEqualTo(200);
    String[][] pages = {
        {"", "Overview"}, {"queue/mail", "Queue mail"}, {"queue/mail/jobs?status=failed",
        "Jobs of mail: failed"}, {"queue/mail/dead", "Dead letters of mail"},
        {"job/dead-1", "Job dead-1"}, {"workers", "Workers"}, {"schedules", "Schedules"},
        {"signin", "Sign in"}};
    browser.consoleErrors();

    for (String[] page : pages) {
      open(page[0]);
      browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), page[1]));
      List<String> errors = browser.consoleErrors().stream().map(LogEntry::getMessage)
          .toList();
      assertThat(errors).as("console errors on #/" + page[0]).isEmpty();
    }
  }

  @Test
  void aFailedJobFoundByItsErrorTextIsSeenRetriedAndCompletedWithoutReloading() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    failWith("mail", "other-job", "disk full");

    open("queue/mail/jobs?status=failed");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"),
        "Jobs of mail: failed"));
    browser.driver.findElement(By.name("q")).sendKeys("printer on fire");
    browser.driver.findElement(By.cssSelector("form.search button")).click();
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("main tbody a[href^='#/job/']"), 1));
    browser.driver.findElement(By.linkText("printer-job")).click();
    waitForStatus("failed");
    browser.waiting().until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live",
        "open"));
    browser.driver.executeScript("window.notReloaded = true");

    // Another operator retries it over the API, then a worker runs it: the page follows live.
    assertThat(post("/jobs/printer-job/retry", "").statusCode()).isEqualTo(200);
    waitForStatus("waiting");
    complete("mail", "printer-job", "{\"printed\":3}");
    waitForStatus("completed");

    assertThat(browser.driver.executeScript("return window.notReloaded")).isEqualTo(true);
    assertThat(browser.driver.findElement(By.cssSelector("main")).getText())
        .contains("\"printed\": 3");
  }

  /**
   * The buttons an admin's session shows, each calling its route: the page is told it is an
   * admin's, since this API's routes are open to the test without a sign-in.
   */
  @Test
  void anAdminsButtonsRetryPauseAndClearThroughTheApi() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    enqueue("mail", "m1");
    open("job/printer-job");
    waitForStatus("failed");
    actAsAdmin();

    click("Retry");
    waitForStatus("waiting");
    open("queue/mail");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Queue mail"));
    click("Pause");
    browser.waiting().until(ExpectedConditions.elementToBeClickable(button("Resume")));
    assertThat(broker.stats("mail").paused()).isTrue();

    browser.driver.findElement(By.name("confirm")).sendKeys("mail");
    click("Clear the queue");
    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
        "Cleared 2 jobs of mail"));
    assertThat(broker.stats("mail").waitingTotal()).isZero();
  }

  @Test
  void anAdminRetriesTheTickedFailedJobsTogether() throws Exception {
    failWith("mail", "f1", "printer on fire");
    failWith("mail", "f2", "printer on fire");
    failWith("mail", "f3", "disk full");
    open("queue/mail/jobs?status=failed");
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("input.pick"), 3));
    actAsAdmin();

    browser.waiting().until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("input.pick[value='f1']"))).click();
    browser.driver.findElement(By.cssSelector("input.pick[value='f3']")).click();
    click("Retry selected");

    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
        "Retried 2 of 2"));
    assertThat(browser.driver.findElements(By.cssSelector("input.pick")))
        .extracting(e -> e.getAttribute("value")).containsExactly("f2");
    assertThat(client.get("mail", "f3").orElseThrow().status().name()).isEqualTo("WAITING");
  }

  @Test
  void aSignedOutVisitorSeesNoActionButtons() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    assertThat(put("/queues/mail/schedules/nightly", "{\"type\":\"report\",\"every\":\"1h\"}")
        .statusCode()).isEqualTo(200);
    String[][] pages = {{"queue/mail", "Queue mail"}, {"job/printer-job", "Job printer-job"},
        {"queue/mail/jobs?status=failed", "Jobs of mail: failed"}, {"schedules", "Schedules"}};

    for (String[] page : pages) {
      open(page[0]);
      browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), page[1]));
      // The search form's own button reads; nothing else in the page may act.
      assertThat(browser.driver.findElements(By.cssSelector("main button:not([type='submit'])")))
          .as("buttons on #/" + page[0]).isEmpty();
    }
  }
}
