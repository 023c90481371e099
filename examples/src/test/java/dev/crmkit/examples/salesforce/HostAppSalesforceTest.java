package dev.crmkit.examples.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Channel;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a host application tests its Salesforce integration: the README's "the emulator in a host's test"
 * example, kept compiling and green here. The emulated org is set up as crmkit's README asks an admin to
 * ({@code crmkitFields()}), and the host points crmkit's {@code salesforce} provider at it.
 */
class HostAppSalesforceTest {
  private final SalesforceEmulator salesforce = SalesforceEmulator.builder().crmkitFields()
      .contactEmailDuplicateRule(true).build();
  private final IntegrationFactory factory = IntegrationFactory.builder().build();

  @AfterEach
  void close() {
    factory.close();
    salesforce.close();
  }

  private CustomerSystem crm() {
    return factory.system(TenantConfig.builder("acme", "salesforce")
        .setting("instanceUrl", salesforce.baseUrl())
        .credential("accessToken", salesforce.accessToken())
        .setting("lastContactAtField", "Last_Contact_At__c")
        .build());
  }

  @Test
  void aFirstSmsCreatesTheContactInSalesforceAndLogsItOnceAsATask() {
    FirstContactHandler inbound = FirstContactHandler.builder(crm()).defaultRegion("US").build();
    InboundMessage sms = new InboundMessage("acme", Channel.SMS, "(415) 555-0100", "Ada Lovelace",
        "Can I book for Friday?", "SM-1", Instant.parse("2026-11-21T09:00:00Z"));

    FirstContactResult first = inbound.handle(sms);
    FirstContactResult redelivered = inbound.handle(sms);

    assertThat(first.outcome()).isEqualTo(FirstContactResult.Outcome.CREATED);
    assertThat(redelivered.outcome()).isEqualTo(FirstContactResult.Outcome.DUPLICATE);
    String contactId = first.customer().id();
    assertThat(salesforce.record(contactId)).hasValueSatisfying(r -> {
      assertThat(r).containsEntry("Phone", "+14155550100").containsEntry("LastName", "Lovelace");
      assertThat(r.get("Last_Contact_At__c")).isNotNull();
    });
    assertThat(crm().listActivities(contactId, dev.crmkit.PageRequest.first()).items()).singleElement()
        .satisfies(a -> {
          assertThat(a.channel()).isEqualTo(Channel.SMS);
          assertThat(a.description()).contains("Can I book for Friday?");
        });
  }
}
