package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.OptInStatus;
import dev.crmkit.OrderDraft;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceFieldMappingsTest {
  @Test
  void theDefaultsSyncTheContactFieldsBothWaysAndPushConsentOrdersAndRevenue() {
    assertThat(SalesforceFieldMappings.defaults().rules())
        .extracting(FieldMapping.Rule::localField, FieldMapping.Rule::remoteField, FieldMapping.Rule::flow)
        .containsExactly(
            tuple("firstName", "firstName", SyncFlow.BIDIRECTIONAL),
            tuple("lastName", "lastName", SyncFlow.BIDIRECTIONAL),
            tuple("email", "email", SyncFlow.BIDIRECTIONAL),
            tuple("phone", "phone", SyncFlow.BIDIRECTIONAL),
            tuple("company", "company", SyncFlow.BIDIRECTIONAL),
            tuple("address", "address", SyncFlow.BIDIRECTIONAL),
            tuple("segment", "segment", SyncFlow.BIDIRECTIONAL),
            tuple("preferredChannel", "preferredChannel", SyncFlow.BIDIRECTIONAL),
            tuple("contactPreferences", "contactPreferences", SyncFlow.PUSH),
            tuple("stats.totalOrders", "custom.totalOrders", SyncFlow.PUSH),
            tuple("stats.totalRevenue", "custom.totalRevenue", SyncFlow.PUSH));
    assertThat(SalesforceFieldMappings.defaultsWithoutOrders().rules()).extracting(FieldMapping.Rule::localField)
        .doesNotContain("stats.totalOrders", "stats.totalRevenue", "tags", "language", "lastContactAt");
  }

  @Test
  void numbersSalesforceAnswersAreReadBackInTheLocalStoresForm() {
    FieldMapping.Rule orders = rule(SalesforceFieldMappings.defaults(), "stats.totalOrders");
    FieldMapping.Rule revenue = rule(SalesforceFieldMappings.defaults(), "stats.totalRevenue");
    FieldMapping.Rule yen = rule(SalesforceFieldMappings.defaults(Currency.getInstance("JPY")), "stats.totalRevenue");

    assertThat(orders.transform().toLocal("3.0")).isEqualTo("3");
    assertThat(revenue.transform().toLocal("40.5")).isEqualTo("40.50");
    assertThat(revenue.transform().toLocal("40.505")).isEqualTo("40.50");
    assertThat(yen.transform().toLocal("4050.0")).isEqualTo("4050");
    assertThat(revenue.transform().toLocal(null)).isNull();
    assertThat(revenue.transform().toRemote("40.50")).isEqualTo("40.50");
  }

  @Test
  void aPushToTheEmulatorWritesTheMappedFieldsAndASecondRunFindsNothingToWrite() {
    Clock clock = Clock.systemUTC();
    try (SalesforceEmulator emulator = SalesforceEmulator.start()) {
      CustomerSystem local = new InMemoryCustomerSystem(
          new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
      TenantConfig config = TenantConfig.builder("shop-1", "salesforce")
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
          .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.ORDERS_FIELD, "Total_Orders__c")
          .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.REVENUE_FIELD, "Total_Revenue__c")
          .build();
      CustomerSystem remote = new SalesforceCustomerSystemProvider().create(new ProviderContext(config, clock, Map.of()));
      Customer ana = local.create(CustomerDraft.builder().firstName("Ana").lastName("Silva").email("ana@example.com")
          .phone("+14155550100").segment(Segment.VIP).preferredChannel(Channel.WHATSAPP)
          .address(new Address("1 Main St", null, "Springfield", "IL", "62701", "US"))
          .optIn(Channel.WHATSAPP, OptInStatus.OPTED_IN).build());
      local.recordOrder(ana.id(), new OrderDraft("o-1", new Money(new BigDecimal("40.50"), Currency.getInstance("USD")),
          clock.instant()));
      local.recordOrder(ana.id(), new OrderDraft("o-2", new Money(new BigDecimal("10.00"), Currency.getInstance("USD")),
          clock.instant()));
      SyncEngine engine = SyncEngine.builder().local(local).remote(remote).store(new InMemorySyncStore(clock))
          .key(new IntegrationKey("shop-1", "salesforce")).flow(SyncFlow.PUSH).mapping(SalesforceFieldMappings.defaults())
          .strategy(ConflictStrategy.lastWriteWins()).clock(clock).leaseOwner("pusher").build();

      SyncResult first = engine.run(SyncMode.FULL);

      assertThat(first.created()).isEqualTo(1);
      String id = remote.findByEmail("ana@example.com").orElseThrow().id();
      assertThat(emulator.record(id).orElseThrow()).containsEntry("FirstName", "Ana").containsEntry("LastName", "Silva")
          .containsEntry("Phone", "+14155550100").containsEntry("Customer_Segment__c", "VIP")
          .containsEntry("Preferred_Channel__c", "WhatsApp").containsEntry("WhatsApp_Opt_In__c", true)
          .containsEntry("MailingCity", "Springfield")
          .hasEntrySatisfying("Total_Orders__c", v -> assertThat(new BigDecimal(v.toString())).isEqualByComparingTo("2"))
          .hasEntrySatisfying("Total_Revenue__c", v -> assertThat(new BigDecimal(v.toString())).isEqualByComparingTo("50.50"));

      SyncResult second = engine.run(SyncMode.FULL);

      assertThat(second.created()).isZero();
      assertThat(second.updated()).isZero();
      Customer pushed = remote.get(id).orElseThrow();
      assertThat(pushed.stats().totalOrders()).isEqualTo(2);
      assertThat(pushed.contactPreferences().optIns()).containsEntry(Channel.WHATSAPP, OptInStatus.OPTED_IN);

      local.update(ana.id(), CustomerUpdate.builder().lastName("Souza").build());
      assertThat(engine.run(SyncMode.FULL).updated()).isEqualTo(1);
      assertThat(emulator.record(id).orElseThrow()).containsEntry("LastName", "Souza");
    }
  }

  private static FieldMapping.Rule rule(FieldMapping mapping, String local) {
    return mapping.rules().stream().filter(r -> r.localField().equals(local)).findFirst().orElseThrow();
  }
}
