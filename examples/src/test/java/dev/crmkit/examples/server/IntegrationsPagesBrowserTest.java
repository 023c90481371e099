package dev.crmkit.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlMatches;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The pages in a real headless Chromium against {@code crmkit serve}'s wiring (in-process, free
 * ports, the HubSpot and Salesforce emulators): what a new user clicks through. Screenshots of
 * each main step land in {@code target/screenshots}.
 */
class IntegrationsPagesBrowserTest {
  @TempDir Path dataDir;
  private ServeEnvironment env;
  private HeadlessChromium chromium;
  private ChromeDriver browser;
  /** On a failure, the page as it was: runs before {@link #stop()} closes the browser. */
  @RegisterExtension
  final AfterTestExecutionCallback screenshotOnFailure = context -> {
    if (context.getExecutionException().isPresent() && this.chromium != null) {
      this.chromium.screenshot("failed-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeEach
  void start() throws Exception {
    chromium = HeadlessChromium.start();
    browser = chromium.driver();
    env = ServeEnvironment.builder().port(0).dataDir(dataDir).start();
  }

  @AfterEach
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void tenantConnectsHubSpotByKeyAndSalesforceByOAuthThenTestsSyncsMapsAndPauses() throws Exception {
    for (int i = 1; i <= 3; i++) {
      env.hubspot().seedContact(Map.of("email", "ada" + i + "@example.com", "firstname", "Ada" + i, "lastname", "Lovelace"));
    }
    browser.get(env.signInUrl("acme"));
    until(textToBePresentInElementLocated(By.id("active-count"), "0 active"));
    assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token=");
    assertThat(texts(By.cssSelector("#available [data-provider] h3"))).contains("HubSpot", "Salesforce");
    chromium.screenshot("01-integrations-empty");

    // HubSpot by API key: the form is generated from HubSpot's descriptor.
    click(By.cssSelector("[data-provider='hubspot'] a.button"));
    until(visibilityOfElementLocated(By.id("setting-accessToken")));
    assertThat(browser.findElement(By.id("setting-accessToken")).getAttribute("type")).isEqualTo("password");
    click(By.id("save"));
    until(visibilityOfElementLocated(By.id("setting-accessToken-error")));
    assertThat(browser.findElement(By.id("setting-accessToken-error")).getText()).isEqualTo("Enter access token.");
    assertThat(browser.findElement(By.id("setting-accessToken")).getAttribute("aria-invalid")).isEqualTo("true");
    chromium.screenshot("02-hubspot-form-validation");
    type(By.id("field-name"), "HubSpot (emulator)");
    type(By.id("setting-accessToken"), env.hubspot().accessToken());
    type(By.id("setting-baseUrl"), env.hubspot().baseUrl());
    new Select(browser.findElement(By.id("field-schedule"))).selectByValue("manual");
    click(By.id("save"));
    until(textToBePresentInElementLocated(By.id("form-notice"), "Saved"));
    until(urlMatches("/$"));
    until(textToBePresentInElementLocated(By.id("active-count"), "1 active"));
    assertThat(browser.findElement(By.id("notice")).getText()).contains("is connected");
    chromium.screenshot("03-hubspot-connected");

    click(By.linkText("HubSpot (emulator)"));
    until(textToBePresentInElementLocated(By.id("status"), "Active"));
    testConnectionAndSync();
    assertThat(browser.findElement(By.id("sync-result")).getText()).startsWith("Synced 3 records: 3 created");
    assertThat(browser.findElement(By.cssSelector("#runs tbody tr .counts")).getText()).contains("created 3");
    chromium.screenshot("04-hubspot-synced");

    // Field mapping: the first rule's direction changes, is saved and survives a reload.
    until(presenceOfElementLocated(By.cssSelector("#mapping-table tbody tr")));
    WebElement firstRule = browser.findElement(By.cssSelector("#mapping-table tbody tr"));
    String field = firstRule.findElement(By.name("field")).getAttribute("value");
    Select direction = new Select(firstRule.findElement(By.name("flow")));
    String changed = direction.getFirstSelectedOption().getAttribute("value").equals("pull") ? "push" : "pull";
    direction.selectByValue(changed);
    click(By.id("save-mapping"));
    until(textToBePresentInElementLocated(By.id("mapping-notice"), "Mapping saved."));
    browser.navigate().refresh();
    until(presenceOfElementLocated(By.cssSelector("#mapping-table tbody tr[data-field='" + field + "']")));
    assertThat(new Select(browser.findElement(By.cssSelector("#mapping-table tr[data-field='" + field + "'] [name='flow']")))
        .getFirstSelectedOption().getAttribute("value")).isEqualTo(changed);
    chromium.screenshot("05-mapping-saved");

    click(By.id("toggle"));
    until(textToBePresentInElementLocated(By.id("status"), "Paused"));
    assertThat(browser.findElement(By.id("toggle")).getText()).isEqualTo("Enable");
    chromium.screenshot("06-hubspot-paused");

    // Salesforce by OAuth: the emulator's consent page, then back on the integration's page.
    browser.get(env.server().url() + "/");
    until(textToBePresentInElementLocated(By.id("active-count"), "0 active"));
    click(By.cssSelector("[data-provider='salesforce'] a.button"));
    click(By.id("auth-oauth2"));
    until(visibilityOfElementLocated(By.id("setting-clientId")));
    assertThat(browser.findElements(By.id("setting-accessToken"))).as("OAuth fills the token").isEmpty();
    type(By.id("field-name"), "Salesforce (emulator)");
    type(By.id("setting-clientId"), env.salesforceClientId());
    type(By.id("setting-clientSecret"), env.salesforceClientSecret());
    type(By.id("setting-instanceUrl"), env.salesforce().baseUrl());
    type(By.id("setting-loginUrl"), env.salesforce().baseUrl());
    chromium.screenshot("07-salesforce-oauth-form");
    click(By.id("save"));
    until(urlMatches("^" + env.salesforce().baseUrl()));
    chromium.screenshot("08-salesforce-consent");
    click(By.id("allow"));
    until(urlMatches("^" + env.server().url() + "/integrations/[^/?]+$"));
    until(textToBePresentInElementLocated(By.id("notice"), "Connected"));
    until(textToBePresentInElementLocated(By.id("status"), "Active"));
    assertThat(browser.findElement(By.id("overview")).getText()).contains(env.salesforce().orgId().substring(0, 15));
    int contactsBefore = env.salesforce().liveCount("Contact");
    testConnectionAndSync();
    assertThat(env.salesforce().liveCount("Contact")).as("the customers pulled from HubSpot, pushed to Salesforce")
        .isEqualTo(contactsBefore + 3);
    chromium.screenshot("09-salesforce-synced");
    click(By.cssSelector("#settings-details summary"));
    assertThat(until(visibilityOfElementLocated(By.id("auth-oauth2"))).isSelected()).as("edits keep the OAuth connect").isTrue();
    assertThat(browser.findElements(By.id("setting-accessToken"))).isEmpty();

    browser.get(env.server().url() + "/");
    until(presenceOfElementLocated(By.cssSelector("#mine-table tbody tr:nth-child(2)")));
    assertThat(texts(By.cssSelector("#mine-table [data-status]"))).containsExactlyInAnyOrder("Paused", "Active");
    chromium.screenshot("10-integrations-list");
  }

  @Test
  void serverTextIsShownAsTextDeleteAsksFirstAndAnUnknownTokenIsTold() throws Exception {
    browser.get(env.signInUrl("acme"));
    until(textToBePresentInElementLocated(By.id("active-count"), "0 active"));
    click(By.cssSelector("[data-provider='hubspot'] a.button"));
    String name = "<img src=x id=injected onerror=alert(1)> & \"friends\"";
    type(By.id("field-name"), name);
    type(By.id("setting-accessToken"), env.hubspot().accessToken());
    type(By.id("setting-baseUrl"), env.hubspot().baseUrl());
    click(By.id("save"));
    until(urlMatches("/$"));
    until(presenceOfElementLocated(By.cssSelector("#mine-table a")));
    assertThat(browser.findElement(By.cssSelector("#mine-table a")).getText()).isEqualTo(name);
    assertThat(browser.findElements(By.id("injected"))).isEmpty();
    click(By.cssSelector("#mine-table a"));
    until(textToBePresentInElementLocated(By.id("title"), name));
    assertThat(browser.findElements(By.id("injected"))).isEmpty();

    click(By.id("delete"));
    click(By.id("confirm-delete"));
    until(urlMatches("/$"));
    until(textToBePresentInElementLocated(By.id("notice"), "deleted"));
    assertThat(browser.findElement(By.id("mine")).getText()).contains("No integrations yet");

    // Only the fragment changes: reload so the page reads the new token.
    browser.get(env.server().url() + "/#token=not-a-token");
    browser.navigate().refresh();
    until(textToBePresentInElementLocated(By.id("notice"), "Not signed in"));
    chromium.screenshot("11-unknown-token");
  }

  private void testConnectionAndSync() {
    click(By.id("test"));
    until(textToBePresentInElementLocated(By.id("test-result"), "Connection OK"));
    click(By.id("sync"));
    until(visibilityOfElementLocated(By.id("sync-result")));
    assertThat(browser.findElement(By.id("sync-result")).getText()).startsWith("Synced ");
    until(presenceOfElementLocated(By.cssSelector("#runs tbody tr")));
    assertThat(browser.findElement(By.cssSelector("#runs tbody tr .badge")).getText()).isEqualTo("succeeded");
  }

  private void click(By by) {
    until(elementToBeClickable(by)).click();
  }

  private void type(By by, String text) {
    WebElement input = until(visibilityOfElementLocated(by));
    input.clear();
    input.sendKeys(text);
  }

  private List<String> texts(By by) {
    return browser.findElements(by).stream().map(WebElement::getText).toList();
  }

  private <T> T until(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
    return chromium.waiting().until(condition);
  }
}
