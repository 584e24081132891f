package dev.jobq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Signing in to the dashboard, and what a visitor without a session cannot do. These need an API
 * that requires tokens and knows {@link #ADMIN_TOKEN} as an admin's, and the session routes; an
 * API without them skips these tests.
 */
class DashboardSignInBrowserTest extends BrowserTestBase {
  static final String ADMIN_TOKEN = "dashboard-test-admin-token-0123456789";

  @Test
  void anAdminRetriesAFailedJobFromItsPage() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    open("signin");
    assumeTrue(signInAvailable(), "this API has no sign-in with the admin token " + ADMIN_TOKEN);
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.name("token")))
        .sendKeys(ADMIN_TOKEN + "\n");
    browser.waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Overview"));

    open("job/printer-job");
    waitForStatus("failed");
    click("Retry");
    waitForStatus("waiting");
    complete("mail", "printer-job", "{}");
    waitForStatus("completed");
  }

  @Test
  void aWriteWithoutASessionIsRefused() throws Exception {
    failWith("mail", "printer-job", "printer on fire");
    open("");
    assumeTrue(get("/session").statusCode() != 404, "this API has no sessions yet");

    Object status = browser.driver.executeAsyncScript("const done = arguments[0];"
        + "fetch('v1/jobs/printer-job/retry', {method: 'POST'}).then(r => done(r.status));");

    assertThat(((Number) status).intValue()).isIn(401, 403);
    assertThat(client.get("mail", "printer-job").orElseThrow().status().name()).isEqualTo("FAILED");
  }

  private boolean signInAvailable() throws Exception {
    return post("/session", "{\"token\":\"" + ADMIN_TOKEN + "\"}").statusCode() == 200;
  }
}
