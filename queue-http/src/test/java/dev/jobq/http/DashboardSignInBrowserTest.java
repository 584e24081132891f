package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Signing in to the dashboard, and what a visitor without a session cannot do, on an API that
 * requires tokens and knows {@link #ADMIN_TOKEN} as an admin's. The test's own calls (a worker
 * completing a job) carry that token as a bearer token.
 */
class DashboardSignInBrowserTest extends BrowserTestBase {
  static final String ADMIN_TOKEN = "dashboard-test-admin-token-0123456789";

  @Override
  HttpSettings settings() {
    return HttpSettings.builder().tokens("admin " + ADMIN_TOKEN, "test").build();
  }

  @Override
  HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(super.request(path, body), (name, value) -> true)
        .header("Authorization", "Bearer " + ADMIN_TOKEN).build();
  }

  @Test
  void anAdminRetriesAFailedJobFromItsPage() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    open("signin");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.name("token")))
        .sendKeys(ADMIN_TOKEN + "\n");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Overview"));

    open("job/printer-job");
    waitForStatus("failed");
    click("Retry");
    waitForStatus("waiting");
    complete("mail", "printer-job", "{}");
    waitForStatus("completed");

    browser.driver.findElement(By.xpath("//*[@id='session']//button[text()='Sign out']")).click();
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.xpath("//*[@id='session']//a[text()='Sign in']")));
    assertThat(statusOfRetry()).as("a write once signed out").isEqualTo(401);
  }

  @Test
  void aWriteWithoutASessionIsRefused() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    open("");

    assertThat(statusOfRetry()).isIn(401, 403);
    assertThat(client.get("mail", "printer-job").orElseThrow().status().name()).isEqualTo("FAILED");
  }

  /** The status of retrying printer-job from the page, as a script of the page would. */
  private int statusOfRetry() {
    Object status = browser.driver.executeAsyncScript("const done = arguments[0];"
        + "fetch('v1/jobs/printer-job/retry', {method: 'POST'}).then(r => done(r.status));");
    return ((Number) status).intValue();
  }
}
