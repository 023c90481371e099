package dev.crmkit.salesforce;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.testkit.CustomerSystemContractTest;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The provider contract suite against the Salesforce emulator. A tenant is one org, so every tenant gets
 * its own emulator, built on the test's clock, whose record numbers start a million apart (Salesforce ids
 * are unique across orgs). The org is multi-currency, as the suite writes amounts in EUR and USD; the deal
 * custom field {@code source} lives in the Opportunity field {@code Deal_Source__c}, and deal owners are
 * User ids. The org has one pipeline (one {@code StageName} picklist), so the suite's other-pipeline case
 * is skipped by its own guard. Salesforce keeps date-times in whole seconds, so the suite compares change
 * times at that precision ({@link #timestampPrecision()}).
 */
class SalesforceContractTest extends CustomerSystemContractTest {
  private final SalesforceCustomerSystemProvider provider = new SalesforceCustomerSystemProvider();
  private final List<SalesforceEmulator> emulators = new ArrayList<>();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).multiCurrency(true)
        .firstRecordNumber(1 + emulators.size() * 1_000_000L).build();
    emulators.add(emulator);
    TenantConfig config = TenantConfig.builder(tenantId, SalesforceCustomerSystemProvider.NAME)
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
        .setting(SalesforceCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "source", "Deal_Source__c")
        .build();
    return provider.create(new ProviderContext(config, clock, Map.of()));
  }

  /** A Salesforce User id other than the connected user's (an owner equal to the creator reads as none). */
  @Override
  protected String dealOwner() {
    return "005000000000002AAA";
  }

  @Override
  protected Duration timestampPrecision() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return SalesforceCustomerSystemProvider.DESCRIPTOR;
  }

  @AfterEach
  void closeEmulators() {
    emulators.forEach(SalesforceEmulator::close);
    emulators.clear();
  }
}
