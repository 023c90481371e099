package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookRouter;
import dev.crmkit.webhook.WebhookRouter.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SalesforceWebhookRouterTest {
  private static final String ORG_18 = "00D5g000004SbcDEAS";
  private static final String ORG_15 = "00D5g000004SbcD";
  private static final String OTHER_ORG = "00D5g000009ZzzZEAS";
  private static final String URL = "https://app.example/webhooks/integrations/salesforce";
  private static final Instant NOW = Instant.parse("2026-12-06T22:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WebhookRouter ROUTER = new SalesforceCustomerSystemProvider().webhooks().orElseThrow();

  private static WebhookRequest post(String xml, String from) {
    return WebhookRequest.builder().method("POST").url(URL).body(xml).remoteAddress(from).receivedAt(NOW).build();
  }

  private static String message(String org) {
    return SalesforceOutboundMessages.builder(org)
        .notification("04l5g0000000001AAA", "Contact", Map.of("Id", "0035g00000A1b2cAAB", "LastName", "Ng"))
        .build();
  }

  private static TenantConfig config(String org, String ranges) {
    TenantConfig.Builder b = TenantConfig.builder("tenant-a", "salesforce").setting("organizationId", org);
    if (ranges != null) {
      b.setting("outboundMessageIpRanges", ranges);
    }
    return b.build();
  }

  @Test
  void readsTheOrganizationIdInIts18CharacterForm() {
    assertThat(ROUTER.accountId(post(message(ORG_18), null))).isEqualTo(ORG_18);
    assertThat(ROUTER.accountId(post(message(ORG_15), null))).isEqualTo(ORG_18);
  }

  @Test
  void readsTheRoutingKeyWithTheHardenedParserSoADoctypeIsRefused() {
    String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        + message(ORG_18).replaceFirst("<\\?xml[^>]*>\\n", "").replace(ORG_18, "&xxe;");
    assertThatThrownBy(() -> ROUTER.accountId(post(xxe, null)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("DOCTYPE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "<a/>", "not xml", "00D5g000004SbcDXXX", "001000000000001AAA"})
  void refusesABodyThatNamesNoOrganization(String org) {
    String body = org.startsWith("00") ? message(org) : org;
    assertThatThrownBy(() -> ROUTER.accountId(post(body, null))).isInstanceOf(ValidationException.class);
  }

  @Test
  void theHandlerChecksTheOrganizationAndTheSenderAgainstTheIntegrationsSettings() {
    WebhookHandler handler = ROUTER.handler(config(ORG_15, "13.108.0.0/14"), ORG_18, CLOCK);

    assertThat(handler.handle(post(message(ORG_18), "13.108.1.2")).response())
        .isEqualTo(SalesforceOutboundMessageHandler.acknowledgement());
    assertThatThrownBy(() -> handler.handle(post(message(OTHER_ORG), "13.108.1.2")))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> handler.handle(post(message(ORG_18), "10.0.0.1")))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void withoutAnOrganizationIdSettingTheHandlerChecksTheStoredAccountAsAfterAnOAuthConnect() {
    WebhookHandler handler = ROUTER.handler(TenantConfig.builder("tenant-a", "salesforce").build(), ORG_18, CLOCK);

    assertThat(handler.handle(post(message(ORG_15), null)).events()).hasSize(1);
    assertThatThrownBy(() -> handler.handle(post(message(OTHER_ORG), null)))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void theOrganizationIdSettingWinsOverTheStoredAccountAndAMalformedOneIsAConfigurationError() {
    WebhookHandler handler = ROUTER.handler(config(OTHER_ORG, null), ORG_18, CLOCK);
    assertThatThrownBy(() -> handler.handle(post(message(ORG_18), null)))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> ROUTER.handler(config("00Dnope", null), ORG_18, CLOCK))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("organizationId");
  }

  @Test
  void everyRefusalIsASoapFaultWhoseStatusSaysWhy() {
    assertThat(Arrays.stream(Refusal.values()).map(r -> ROUTER.refusal(r).status()))
        .containsExactly(404, 403, 400, 413, 500);
    Arrays.stream(Refusal.values()).map(ROUTER::refusal).forEach(r -> {
      assertThat(r.contentType()).isEqualTo(SalesforceOutboundMessageHandler.CONTENT_TYPE);
      assertThat(r.body()).contains("<soapenv:Fault>");
    });
    assertThat(ROUTER.acknowledgement()).isEqualTo(SalesforceOutboundMessageHandler.acknowledgement());
  }
}
