package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bulkWrite against the stateful Salesforce emulator: calls, daily usage, Accounts and outcomes. */
class SalesforceBulkWriteEmulatorTest {
  private final SalesforceEmulator emulator = SalesforceEmulator.start();

  @AfterEach
  void stop() {
    emulator.close();
  }

  private CustomerSystem open() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
        .build();
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config, Clock.systemUTC(), Map.of()));
  }

  @Test
  void aThousandCustomersWithAThousandCompaniesCostFourCompositeCallsAndFindExistingAccountsIgnoringCase() {
    String existing = emulator.insert("Account", Map.of("Name", "Company 7"));
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().firstName("F" + i).lastName("L" + i)
          .email("c" + i + "@example.com").company(i == 7 ? "COMPANY 7" : i == 8 ? "O'Brien & Co" : "Company " + i)
          .build()));
    }
    CustomerSystem system = open();
    emulator.counters().reset();
    int usageBefore = emulator.apiUsage();

    List<UpsertOutcome> outcomes = system.bulkWrite(writes);

    assertThat(outcomes).hasSize(1000).allSatisfy(o -> assertThat(o.status()).isEqualTo(UpsertOutcome.Status.CREATED));
    assertThat(outcomes).extracting(UpsertOutcome::index).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 1000).boxed().toList());
    Customer seventh = outcomes.get(7).customer();
    assertThat(seventh.email()).isEqualTo("c7@example.com");
    assertThat(seventh.company()).isEqualTo("Company 7");
    assertThat(seventh.createdAt()).isNotNull();
    assertThat(emulator.record(seventh.id()).orElseThrow()).containsEntry("AccountId", existing);
    assertThat(outcomes.get(8).customer().company()).isEqualTo("O'Brien & Co");
    SalesforceCounters counters = emulator.counters();
    assertThat(counters.requests(SalesforceCounters.COMPOSITE)).isEqualTo(4);
    // the org's /limits read and the one describe of the mapped fields come first, then the four writes
    assertThat(counters.totalRequests()).isEqualTo(6);
    assertThat(emulator.apiUsage() - usageBefore).isEqualTo(6);
    assertThat(counters.subrequests(SalesforceCounters.QUERY)).isEqualTo(10); // 5 Account name queries, 5 read-backs
    assertThat(counters.subrequests(SalesforceCounters.COLLECTION_CREATE)).isEqualTo(10); // 999 Accounts, 1,000 Contacts
    assertThat(counters.requests(SalesforceCounters.CREATE)).isZero();
  }

  @Test
  void laterWritesUseTheCachedAccountsInBulkAndOneByOne() {
    CustomerSystem system = open();
    List<UpsertOutcome> created = system.bulkWrite(List.of(
        CustomerWrite.create(CustomerDraft.builder().lastName("A").company("Acme").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("B").company("Globex").build())));
    Object acme = emulator.record(created.get(0).customer().id()).orElseThrow().get("AccountId");
    Object globex = emulator.record(created.get(1).customer().id()).orElseThrow().get("AccountId");
    emulator.counters().reset();

    List<UpsertOutcome> moved = system.bulkWrite(List.of(CustomerWrite.update(created.get(0).customer().id(),
        CustomerUpdate.builder().company("Globex").build()), CustomerWrite.update("not-an-id",
        CustomerUpdate.builder().firstName("X").build())));
    Customer single = system.create(CustomerDraft.builder().lastName("C").company("acme").build());

    assertThat(moved.get(0).status()).isEqualTo(UpsertOutcome.Status.UPDATED);
    assertThat(moved.get(0).customer().company()).isEqualTo("Globex");
    assertThat(moved.get(1).status()).isEqualTo(UpsertOutcome.Status.REJECTED);
    assertThat(single.company()).isEqualTo("Acme");
    assertThat(emulator.record(single.id()).orElseThrow()).containsEntry("AccountId", acme);
    assertThat(emulator.record(created.get(0).customer().id()).orElseThrow()).containsEntry("AccountId", globex);
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_UPDATE)).isOne();
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_CREATE)).isZero();
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isOne(); // the Contact, no Account
  }
}
