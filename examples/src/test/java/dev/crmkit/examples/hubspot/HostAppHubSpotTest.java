package dev.crmkit.examples.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Channel;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.hubspot.HubSpotEngagement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a host application tests its HubSpot integration: the README's "the emulator in a host's test"
 * example, kept compiling and green here. No network, no HubSpot account: the emulator serves
 * HubSpot's API on loopback and the host points crmkit's {@code hubspot} provider at it.
 */
class HostAppHubSpotTest {
  private final HubSpotEmulator hubspot = HubSpotEmulator.builder().rateLimits(false).build();
  private final IntegrationFactory factory = IntegrationFactory.builder().build();

  @AfterEach
  void close() {
    factory.close();
    hubspot.close();
  }

  private CustomerSystem crm() {
    return factory.system(TenantConfig.builder("acme", "hubspot")
        .setting("baseUrl", hubspot.baseUrl())
        .credential("accessToken", hubspot.accessToken())
        .build());
  }

  @Test
  void aFirstSmsCreatesTheContactInHubSpotAndLogsItOnceAsACommunication() {
    FirstContactHandler inbound = FirstContactHandler.builder(crm()).defaultRegion("US").build();
    InboundMessage sms = new InboundMessage("acme", Channel.SMS, "(415) 555-0100", "Ada Lovelace",
        "Can I book for Friday?", "SM-1", Instant.parse("2026-11-21T09:00:00Z"));

    FirstContactResult first = inbound.handle(sms);
    FirstContactResult redelivered = inbound.handle(sms);

    assertThat(first.outcome()).isEqualTo(FirstContactResult.Outcome.CREATED);
    assertThat(redelivered.outcome()).isEqualTo(FirstContactResult.Outcome.DUPLICATE);
    String contactId = first.customer().id();
    assertThat(hubspot.liveContactCount()).isEqualTo(1);
    assertThat(hubspot.contactProperties(contactId)).hasValueSatisfying(p -> assertThat(p).containsEntry("phone", "+14155550100"));
    List<HubSpotEngagement> logged = hubspot.engagements(contactId);
    assertThat(logged).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("communications");
      assertThat(e.properties()).containsEntry("hs_communication_channel_type", "SMS");
    });
  }

  @Test
  void aContactEditedInHubSpotIsFoundByItsNewEmail() {
    String id = hubspot.seedContact(Map.of("firstname", "Grace", "email", "grace@example.com"));
    hubspot.updateContact(id, Map.of("email", "grace.hopper@example.com"));

    assertThat(crm().findByEmail("grace.hopper@example.com")).hasValueSatisfying(c -> {
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.firstName()).isEqualTo("Grace");
    });
    assertThat(crm().findByEmail("grace@example.com")).isEmpty();
  }
}
