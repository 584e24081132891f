package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobq.Job;
import dev.jobq.JobClient;
import dev.jobq.JobRequest;
import dev.jobq.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard's search, dead-letter groups, run now, delete, trigger now and a long job's
 * timeline in a real browser, each through its real route: what the page shows comes from the
 * route's own answer.
 */
class DashboardActionsBrowserTest extends BrowserTestBase {

  @Test
  void searchByErrorTextFindsTheJobAndSaysHowFarItLooked() {
    failWith("mail", "printer-job", "printer on fire");
    failWith("mail", "disk-job", "disk full");
    failWith("mail", "net-job", "network down");

    open("queue/mail/jobs?status=failed&q=on%20fire&in=error");

    browser.waiting().until(ExpectedConditions.textToBe(By.id("search-note"),
        "1 match(es) in 3 failed job(s) looked at: that is all of them"));
    assertThat(browser.driver.findElements(By.cssSelector("main tbody a[href^='#/job/']")))
        .extracting(a -> a.getText()).containsExactly("printer-job");
  }

  @Test
  void anAdminRetriesADeadLetterGroup() {
    failWith("mail", "f1", "printer on fire");
    failWith("mail", "f2", "printer on fire");
    failWith("mail", "f3", "disk full");
    open("queue/mail/dead");
    browser.waiting().until(ExpectedConditions.textToBe(By.id("groups-note"),
        "3 failed job(s) looked at"));
    actAsAdmin();

    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.xpath(
        "//tr[td[text()='printer on fire']]//button[text()='Retry this group']"))).click();

    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
        "Retried 2 of 2 job(s) failed with PrinterException: printer on fire"));
    assertThat(client.get("mail", "f1").orElseThrow().status()).isEqualTo(JobStatus.WAITING);
    assertThat(client.get("mail", "f2").orElseThrow().status()).isEqualTo(JobStatus.WAITING);
    assertThat(client.get("mail", "f3").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    assertThat(browser.driver.findElements(By.cssSelector("main tbody tr[data-group]")))
        .as("groups left").hasSize(1);
  }

  @Test
  void anAdminRunsADelayedJobNow() {
    client.enqueue(JobRequest.builder("print").queue("mail").id("later")
        .delay(Duration.ofHours(1)).build());
    open("job/later");
    waitForStatus("delayed");
    actAsAdmin();

    click("Run now");

    waitForStatus("waiting");
    assertThat(browser.driver.findElement(By.id("notice")).getText())
        .isEqualTo("Job later is waiting: it runs next in its queue");
    assertThat(client.get("mail", "later").orElseThrow().status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void anAdminDeletesAJobAndLandsOnItsQueue() {
    failWith("mail", "printer-job", "printer on fire");
    open("job/printer-job");
    waitForStatus("failed");
    actAsAdmin();

    click("Delete");

    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Queue mail"));
    assertThat(browser.driver.findElement(By.id("notice")).getText())
        .isEqualTo("Deleted job printer-job");
    assertThat(client.get("mail", "printer-job")).isEmpty();
  }

  @Test
  void aBulkDeleteSaysHowManyItDeletedAndWhyTheOthersStayed() {
    enqueue("mail", "busy");
    enqueue("mail", "idle");
    open("queue/mail/jobs?status=waiting");
    actAsAdmin();
    browser.waiting().until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector("input.pick"), 2));
    browser.driver.findElements(By.cssSelector("input.pick")).forEach(box -> box.click());
    assertThat(broker.claim("mail", "w", 1, Duration.ofMinutes(1))).extracting(Job::id)
        .containsExactly("busy");

    click("Delete selected");

    browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
        "Deleted 1 of 2 job(s); refused busy: job 'busy' is still running"));
    assertThat(client.get("mail", "idle")).isEmpty();
    assertThat(client.get("mail", "busy")).isPresent();
  }

  @Test
  void anAdminTriggersAScheduleSeesItAsTheLastTickAndFollowsTheLinkToItsJob() throws Exception {
    assertThat(put("/queues/mail/schedules/nightly", "{\"type\":\"report\",\"every\":\"1h\"}")
        .statusCode()).isEqualTo(200);
    open("schedules");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Schedules"));
    assertThat(browser.driver.findElements(By.cssSelector("a.last-tick"))).as("never fired")
        .isEmpty();
    actAsAdmin();

    click("Trigger now");
    String id = browser.waiting().until(ExpectedConditions.elementToBeClickable(
        By.id("triggered-job"))).getText();
    assertThat(id).startsWith("nightly@");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("a.last-tick"), id));
    assertThat(browser.driver.findElement(By.cssSelector("main tbody")).getText())
        .contains(id + " (triggered)");
    browser.driver.findElement(By.cssSelector("a.last-tick")).click();

    waitForStatus("waiting");
    assertThat(browser.driver.findElement(By.cssSelector("main h1")).getText())
        .isEqualTo("Job " + id);
  }

  @Test
  void aJobsPageShowsItsStackTraceAndItsParentsAndChildrensStates() {
    failWith("mail", "broken", "printer on fire");
    enqueue("mail", "parent");
    client.enqueue(JobRequest.builder("print").queue("mail").id("child").dependsOn("parent")
        .build());

    open("job/broken");
    browser.waiting().until(ExpectedConditions.textToBe(By.id("job-stack"), "at Printer.print"));
    browser.screenshot("aFailedJobsPageWithItsStackTrace");
    open("job/child");
    waitForStatus("blocked");
    assertThat(browser.driver.findElement(By.id("job-parents")).getText())
        .isEqualTo("depends on parent waiting");
    open("job/parent");
    waitForStatus("waiting");
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("job-children")));
    assertThat(browser.driver.findElement(By.id("job-children")).getText())
        .isEqualTo("children child blocked");
  }

  @Test
  void aLongJobsTimelineShowsWhereItsEventsWereNotRead() {
    broker.tools().setEventsKept("busy", 100_000);
    enqueue("busy", "long");
    List<JobRequest> others = new ArrayList<>();
    for (int i = 0; i < JobTimeline.SCAN + JobTimeline.BACK + 2_000; i++) {
      others.add(JobRequest.builder("print").queue("busy").id("other-" + i).build());
    }
    for (int from = 0; from < others.size(); from += JobClient.MAX_BATCH) {
      client.enqueueAll(others.subList(from, Math.min(others.size(), from + JobClient.MAX_BATCH)));
    }
    assertThat(broker.claim("busy", "w", 1, Duration.ofMinutes(1))).hasSize(1);

    open("job/long");

    browser.waiting().until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector(".timeline .gap")));
    List<String> items = browser.driver.findElements(By.cssSelector(".timeline li")).stream()
        .map(WebElement::getText).toList();
    assertThat(items).hasSize(3);
    assertThat(items.get(0)).contains("enqueued");
    assertThat(items.get(1)).startsWith("events between").endsWith("were not read: too many of"
        + " other jobs lie between");
    assertThat(items.get(2)).contains("started");
  }
}
