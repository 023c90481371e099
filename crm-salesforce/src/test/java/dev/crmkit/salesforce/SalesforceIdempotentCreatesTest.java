package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceIdempotentCreatesTest {
  private final SalesforceEmulator emulator = SalesforceEmulator.builder()
      .customTextField("Contact", "Crmkit_Idempotency_Key__c", 64).build();

  @AfterEach
  void stop() {
    emulator.close();
  }

  private SalesforceCustomerSystem system(boolean withKeyField) {
    TenantConfig.Builder config = TenantConfig.builder("shop-1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl());
    if (withKeyField) {
      config.setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceCustomerSystem.IDEMPOTENCY_KEY_FIELD,
          "Crmkit_Idempotency_Key__c");
    }
    return (SalesforceCustomerSystem) new SalesforceCustomerSystemProvider()
        .create(new ProviderContext(config.build(), Clock.systemUTC(), Map.of()));
  }

  @Test
  void aCreateUnderAKeyStoresItInTheConfiguredFieldAndIsFoundByItWithOneQuery() {
    SalesforceCustomerSystem system = system(true);
    CustomerDraft draft = CustomerDraft.builder().firstName("Walk-in").lastName("Guest").build();

    Customer created = system.create(system.withIdempotencyKey(draft, "k-1"));
    system.create(system.withIdempotencyKey(draft, "k-2"));
    emulator.counters().reset();
    Map<String, Customer> found = system.findByIdempotencyKeys(List.of("k-1", "k-3", "not a key!"));

    assertThat(emulator.record(created.id()).orElseThrow()).containsEntry("Crmkit_Idempotency_Key__c", "k-1");
    assertThat(system.idempotencyKey(created)).contains("k-1");
    assertThat(found).containsOnlyKeys("k-1");
    assertThat(found.get("k-1").id()).isEqualTo(created.id());
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY)).isEqualTo(1);
    assertThat(emulator.counters().totalRequests()).isEqualTo(1);
  }

  @Test
  void withoutTheSettingKeysAreNeitherStoredNorLookedFor() {
    SalesforceCustomerSystem system = system(false);
    CustomerDraft draft = CustomerDraft.builder().lastName("Guest").build();

    CustomerDraft keyed = system.withIdempotencyKey(draft, "k-1");
    Customer created = system.create(keyed);
    emulator.counters().reset();

    assertThat(keyed).isEqualTo(draft);
    assertThat(system.idempotencyKey(created)).isEmpty();
    assertThat(system.findByIdempotencyKeys(List.of("k-1"))).isEmpty();
    assertThat(emulator.counters().totalRequests()).isZero();
  }

  @Test
  void aKeyOfTheWrongFormIsRejectedNamingIt() {
    SalesforceCustomerSystem system = system(true);
    CustomerDraft draft = CustomerDraft.builder().lastName("Guest").build();

    assertThatThrownBy(() -> system.withIdempotencyKey(draft, "has space")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("idempotencyKey").hasMessageContaining("has space");
    assertThatThrownBy(() -> system.withIdempotencyKey(draft, "x".repeat(65))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> system.withIdempotencyKey(null, "k-1")).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("draft");
  }
}
